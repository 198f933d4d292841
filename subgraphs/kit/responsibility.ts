import DataLoader from 'dataloader';
import type { Database } from './db';
import { ErrorCode, utcDateOf } from '../../core';
import { callSubgraph, type OnBehalfOf } from './call-subgraph';
import { databaseUnavailableError } from './database-unavailable';
import type { SignQuestion } from './question-signer';

/**
 * The market as responsibilities that change hands over time (DESIGN.md "Time"): for every MPAN, who held each one
 * over UTC days [from, to). Each is owned by exactly one subgraph, which answers from its own tables; every other part
 * (row scope, submission checks, appointment rules, settlement) asks the owner at request time and keeps no copy
 * (PRI-001, PRI-004).
 */
export const RESPONSIBILITY_OWNER = {
  /** The registered supplier (supplier registrations). */
  SUPPLIER: 'registration',
  /** The distributor whose network the metering point is on (fixed by the MPAN core). */
  DISTRIBUTOR: 'registration',
  /** The GSP group in force (standing data); `holder` is the GSP group id. */
  GSP_GROUP: 'registration',
  /** The appointed services: accepted appointments, ended at the end of the requesting supplier's registration. */
  SMART_DATA_SERVICE: 'appointment',
  ADVANCED_DATA_SERVICE: 'appointment',
  UNMETERED_DATA_SERVICE: 'appointment',
  SMART_METERING_SERVICE: 'appointment',
  ADVANCED_METERING_SERVICE: 'appointment',
  /**
   * A proposed provider with an unanswered request (IF-033), from the request's effective date while it is pending: it
   * may READ the metering point's registration and meter data, and holds nothing else (no data, no submissions).
   */
  PROPOSED_SMART_DATA_SERVICE: 'appointment',
  PROPOSED_ADVANCED_DATA_SERVICE: 'appointment',
  PROPOSED_UNMETERED_DATA_SERVICE: 'appointment',
  PROPOSED_SMART_METERING_SERVICE: 'appointment',
  PROPOSED_ADVANCED_METERING_SERVICE: 'appointment',
  /** The meter reading service with an open read request (PRI-006), from the day it was raised. */
  METER_READING_SERVICE: 'metering-data',
  /** The BM unit the metering point's energy is settled in; `holder` is the BM unit id. */
  BM_UNIT: 'settlement',
} as const;

export type Responsibility = keyof typeof RESPONSIBILITY_OWNER;

export const RESPONSIBILITIES = Object.keys(RESPONSIBILITY_OWNER) as Responsibility[];

export function isResponsibility(value: unknown): value is Responsibility {
  return typeof value === 'string' && Object.hasOwn(RESPONSIBILITY_OWNER, value);
}

/** One party's hold of one responsibility for one MPAN over UTC days [from, to); `to` is null while it continues. */
export interface ResponsibilityPeriod {
  mpanCore: string;
  responsibility: Responsibility;
  /** A participant's MPID; the GSP group id for GSP_GROUP; the BM unit id for BM_UNIT. */
  holder: string;
  /** First UTC day, "YYYY-MM-DD". */
  from: string;
  /** First UTC day after the period, or null. */
  to: string | null;
}

/** The first day any period may start on: "since the beginning". */
export const BEGINNING_OF_TIME = '0001-01-01';

/** Per-request answers to "who held responsibility R for MPAN M at instant t / over a range", batched per owner. */
export interface Responsibilities {
  /** Every period of `responsibility` for the MPAN, oldest first. */
  periods(responsibility: Responsibility, mpanCore: string): Promise<ResponsibilityPeriod[]>;
  /** The period in force on the UTC day of `at` (an instant or a "YYYY-MM-DD" day), or null. */
  heldAt(responsibility: Responsibility, mpanCore: string, at: Date | string): Promise<ResponsibilityPeriod | null>;
  /** The periods that overlap UTC days [from, to). */
  heldOver(responsibility: Responsibility, mpanCore: string, from: string, to: string): Promise<ResponsibilityPeriod[]>;
}

/** A subgraph's answers for the responsibilities it owns, from its own tables. */
export interface ResponsibilityOwner {
  owns: readonly Responsibility[];
  /**
   * Every period of the asked responsibilities for the MPAN cores. `responsibilities` lets an owner derive its answer
   * from another owner's (a BM unit allocation follows the supplier registration and the GSP group).
   */
  findPeriods(
    source: { db: Database; responsibilities: Responsibilities },
    asked: readonly Responsibility[],
    mpanCores: readonly string[],
  ): Promise<ResponsibilityPeriod[]>;
}

/** Whether the UTC day lies in [from, to). */
export function periodCovers(period: { from: string; to: string | null }, day: string): boolean {
  return period.from <= day && (period.to === null || day < period.to);
}

/** Whether [from, to) of the period and of the range share a day. */
export function periodOverlaps(period: { from: string; to: string | null }, from: string, to: string | null): boolean {
  return (to === null || period.from < to) && (period.to === null || period.to > from);
}

/** The earliest of several exclusive ends ("YYYY-MM-DD"); null (open) only when every one is open. */
export function earliestEnd(...ends: (string | null)[]): string | null {
  return ends.filter((day): day is string => day !== null).sort()[0] ?? null;
}

/** The UTC day of an instant, or the day itself. */
export function dayOf(at: Date | string): string {
  return typeof at === 'string' ? at.slice(0, 10) : utcDateOf(at);
}

/** Most responsibilities asked at once over HTTP; bigger batches are split. */
const MAX_MPANS_PER_QUESTION = 5000;

export interface ResponsibilitiesOptions {
  /** This subgraph: its own responsibilities are answered in process. */
  self: { name: string; db: Database; owner?: ResponsibilityOwner };
  /** Signs each question for its owner and body (the caller the gateway vouched for; never the gateway's key). */
  signQuestion: SignQuestion;
  /** The request's id, sent along so the owner logs the question under it. */
  requestId?: string;
  /** Base URL (origin) of each subgraph by name. */
  subgraphBaseUrl(name: string): string;
}

/** Asks an owning subgraph over HTTP: POST /internal/responsibilities. */
async function askOwner(
  from: string,
  owner: string,
  url: string,
  onBehalfOf: OnBehalfOf,
  responsibilities: readonly Responsibility[],
  mpanCores: readonly string[],
): Promise<ResponsibilityPeriod[]> {
  const response = await callSubgraph(from, owner, url, onBehalfOf, { responsibilities, mpanCores });
  // The owner's database is down: the caller is told to retry, as it would be by this subgraph's own.
  if (response.status === 503 && ((await response.clone().json()) as { code?: string }).code === ErrorCode.DATABASE_UNAVAILABLE) {
    throw databaseUnavailableError(`The ${owner} database`);
  }
  if (!response.ok) throw new Error(`responsibility owner ${url} answered ${response.status}`);
  return ((await response.json()) as { periods: ResponsibilityPeriod[] }).periods;
}

/**
 * This request's responsibilities: one question per owning subgraph and batch (one HTTP call, one SQL statement or
 * two at the owner), whatever the number of MPANs, instants and ranges asked.
 */
export function createResponsibilities(options: ResponsibilitiesOptions): Responsibilities {
  const key = (k: { responsibility: Responsibility; mpanCore: string }) => `${k.responsibility}|${k.mpanCore}`;
  const loader = new DataLoader<{ responsibility: Responsibility; mpanCore: string }, ResponsibilityPeriod[], string>(
    async (keys) => {
      const byOwner = new Map<string, { asked: Set<Responsibility>; mpanCores: Set<string> }>();
      for (const k of keys) {
        const owner = RESPONSIBILITY_OWNER[k.responsibility];
        const question = byOwner.get(owner) ?? { asked: new Set(), mpanCores: new Set() };
        question.asked.add(k.responsibility);
        question.mpanCores.add(k.mpanCore);
        byOwner.set(owner, question);
      }
      const answers = await Promise.all(
        [...byOwner].map(async ([owner, question]) => {
          const asked = [...question.asked];
          const mpanCores = [...question.mpanCores];
          const periods: ResponsibilityPeriod[] = [];
          for (let start = 0; start < mpanCores.length; start += MAX_MPANS_PER_QUESTION) {
            const chunk = mpanCores.slice(start, start + MAX_MPANS_PER_QUESTION);
            periods.push(
              ...(owner === options.self.name && options.self.owner
                ? await options.self.owner.findPeriods({ db: options.self.db, responsibilities: self }, asked, chunk)
                : await askOwner(
                    options.self.name,
                    owner,
                    `${options.subgraphBaseUrl(owner)}/internal/responsibilities`,
                    { signQuestion: options.signQuestion, requestId: options.requestId },
                    asked,
                    chunk,
                  )),
            );
          }
          return periods;
        }),
      );
      const grouped = new Map<string, ResponsibilityPeriod[]>();
      for (const period of answers.flat()) {
        const k = key(period);
        grouped.set(k, [...(grouped.get(k) ?? []), period]);
      }
      return keys.map((k) => (grouped.get(key(k)) ?? []).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)));
    },
    { cacheKeyFn: key },
  );
  const self: Responsibilities = {
    periods: (responsibility, mpanCore) => loader.load({ responsibility, mpanCore }),
    heldAt: async (responsibility, mpanCore, at) => {
      const day = dayOf(at);
      return (await loader.load({ responsibility, mpanCore })).find((period) => periodCovers(period, day)) ?? null;
    },
    heldOver: async (responsibility, mpanCore, from, to) =>
      (await loader.load({ responsibility, mpanCore })).filter((period) => periodOverlaps(period, from, to)),
  };
  return self;
}
