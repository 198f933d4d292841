import { Client } from 'pg';
import { buildDemoDataset } from '../../dev/build-dataset';
import { startTestStack, type TestStack } from './test-stack';
import type { Actor } from './test-keys';
import { DAY_MS, TEST_NOW } from './test-clock';

// What the journey tests of the market processes share (test/clients/*-flows*.test.ts,
// test/subgraphs/appointment/appointment-process.test.ts): the demo's metering points and participants, days counted
// from TEST_NOW, and a whole stack with a SQL client on its database. Demo MPAN index i: supplier
// ['SUPA','SUPB','SUPC'][i % 3]; Smart when i % 10 < 6 (a traditional meter when i % 10 === 4), Advanced < 9, else
// Unmetered; SDSA the smart data service in force.

export const demo = buildDemoDataset(TEST_NOW);
/** The demo metering point at `index`. */
export const mpanAt = (index: number): string => demo.meteringPoints[index].mpanCore;
/** The demo meter of a metered metering point. */
export const meterOf = (mpanCore: string): string => `M${mpanCore.slice(2, 12)}`;
/** The instant `days` after TEST_NOW, ISO 8601. */
export const inDays = (days: number): string => new Date(TEST_NOW.getTime() + days * DAY_MS).toISOString();
/** The UTC day `offset` days after TEST_NOW's (PRI-018: UTC days). */
export const utcDay = (offset = 0): string => inDays(offset).slice(0, 10);

export const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
export const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
export const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
export const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
export const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
export const MRSA: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
export const RSVC: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };

/** The one error of a refused operation: its code and reason. */
export function refusal(body: any): { code: string; reason: string } {
  expect(body.errors).toHaveLength(1);
  return { code: body.errors[0].extensions.code, reason: body.errors[0].extensions.reason };
}

export interface Journey {
  /** The whole product on this test file's own copy of the demo database. */
  readonly stack: TestStack;
  /** A SQL client on that database, for what the API does not show (the outboxes). */
  readonly sql: Client;
}

/**
 * Starts a stack and a SQL client for the test file (beforeAll), puts the business clock back to TEST_NOW after each
 * test, and closes both (afterAll).
 */
export function useJourneyStack(): Journey {
  let stack: TestStack | undefined;
  let sql: Client | undefined;
  beforeAll(async () => {
    stack = await startTestStack();
    sql = new Client({ connectionString: stack.database.url });
    await sql.connect();
  });
  afterEach(() => stack?.clock.set(TEST_NOW));
  afterAll(async () => {
    await sql?.end();
    await stack?.close();
  });
  return {
    get stack() {
      return stack!;
    },
    get sql() {
      return sql!;
    },
  };
}
