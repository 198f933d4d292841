import type { FastifyInstance } from 'fastify';
import type { Queryable } from './db';
import type { OutboxRow } from './outbox';
import { callSubgraph, type OnBehalfOf } from './call-subgraph';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';
import { badUserInput, ErrorCode, Reason, type InternalContext } from '../../core';

/**
 * The message feed read across every subgraph's outbox (kit/outbox.ts) at request time, never copied (PRI-004,
 * PRI-024): each subgraph answers for its own outbox, only with the messages addressed to the caller (PRI-021) or to
 * the caller's acting role (PRI-022). A cursor holds one position per subgraph, so a page never skips or repeats a
 * message however the subgraphs' writes interleave.
 */

/** One message as a recipient reads it. */
export interface FeedMessage {
  /** Stable id: the same message always has the same id (at-least-once delivery, deduplicate on it). */
  id: string;
  type: string;
  recipientParticipant: string | null;
  recipientRole: string | null;
  mpanCore: string | null;
  payload: Record<string, unknown>;
  principle: string;
  createdAt: Date;
  /** The subgraph whose outbox holds it and its position there. */
  source: string;
  position: number;
}

/** Position reached in each subgraph's outbox (0 = from the start). */
export type FeedPositions = Readonly<Record<string, number>>;

export interface FeedPage {
  edges: { cursor: string; node: FeedMessage }[];
  /** Where the next page starts: the last edge's cursor, or `after` itself for an empty page (poll again with it). */
  endCursor: string;
  hasNextPage: boolean;
}

/** Reads a feed page for the caller across every subgraph. */
export interface MessageFeed {
  /** The subgraphs whose outboxes make up the feed: the names a cursor may carry. */
  readonly sources: readonly string[];
  read(after: FeedPositions, first: number): Promise<FeedPage>;
}

const CURSOR_VERSION = 1;

export function encodeFeedCursor(positions: FeedPositions): string {
  const sorted = Object.fromEntries(Object.entries(positions).sort(([a], [b]) => (a < b ? -1 : 1)));
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, p: sorted })).toString('base64url');
}

/** A cursor this feed handed out, else BAD_USER_INPUT (INVALID_CURSOR). Subgraphs it does not name start at 0. */
export function decodeFeedCursor(cursor: string, sources: readonly string[]): FeedPositions {
  const refuse = () =>
    badUserInput(
      Reason.INVALID_CURSOR,
      `"${cursor.slice(0, 80)}" is not a message cursor: pass a cursor or endCursor returned by messages`,
    );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const { v, p } = (decoded ?? {}) as { v?: unknown; p?: unknown };
  if (v !== CURSOR_VERSION || typeof p !== 'object' || p === null || Array.isArray(p)) throw refuse();
  const entries = Object.entries(p as Record<string, unknown>);
  if (!entries.every(([source, position]) => sources.includes(source) && Number.isSafeInteger(position) && (position as number) >= 0)) {
    throw refuse();
  }
  return Object.fromEntries(entries) as FeedPositions;
}

/** The later of two positions per subgraph: an acknowledgement never moves back. */
export function laterPositions(a: FeedPositions, b: FeedPositions): FeedPositions {
  const merged: Record<string, number> = { ...a };
  for (const [source, position] of Object.entries(b)) merged[source] = Math.max(merged[source] ?? 0, position);
  return merged;
}

/** The caller's messages in one subgraph's outbox after `after`, oldest first: targeted at it or its acting role. */
export async function readOutbox(
  db: Queryable,
  dbSchema: string,
  caller: Pick<InternalContext, 'participant' | 'role'>,
  after: number,
  limit: number,
): Promise<Omit<FeedMessage, 'source'>[]> {
  const rows = await db.query<OutboxRow>(
    `SELECT position, id, type, recipient_participant, recipient_role, mpan_core, payload, principle, created_at
       FROM ${dbSchema}.outbox_message
      WHERE (recipient_participant = $1 OR recipient_role = $2) AND position > $3
      ORDER BY position LIMIT $4`,
    [caller.participant, caller.role, after, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    recipientParticipant: row.recipient_participant,
    recipientRole: row.recipient_role,
    mpanCore: row.mpan_core,
    payload: row.payload,
    principle: row.principle,
    createdAt: row.created_at,
    position: Number(row.position),
  }));
}

/** Most messages one subgraph returns to one question. */
export const MAX_OUTBOX_READ = 1001;

/**
 * POST /internal/outbox {"after": n, "first": n}: this subgraph's messages for the caller of the signed context (the
 * preHandler checks it), so a subgraph asking on a caller's behalf gets only that caller's messages.
 */
export function registerOutboxRoute(
  app: FastifyInstance,
  subgraph: { dbSchema: string },
  db: Queryable,
  callerOf: (request: unknown) => InternalContext,
): void {
  app.post<{ Body: { after?: unknown; first?: unknown } }>('/internal/outbox', async (request, reply) => {
    const { after, first } = request.body ?? {};
    if (!Number.isSafeInteger(after) || (after as number) < 0 || !Number.isSafeInteger(first) || (first as number) < 1) {
      return reply.code(400).send({ error: `POST {"after": position >= 0, "first": 1..${MAX_OUTBOX_READ}}` });
    }
    try {
      return {
        messages: await readOutbox(db, subgraph.dbSchema, callerOf(request), after as number, Math.min(first as number, MAX_OUTBOX_READ)),
      };
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return reply.code(503).send({ error: 'database unavailable', code: ErrorCode.DATABASE_UNAVAILABLE });
    }
  });
}

export interface MessageFeedOptions {
  /** This subgraph: its own outbox is read in process. */
  self: { name: string; dbSchema: string; db: Queryable };
  /** Every subgraph by name (self included). */
  sources: readonly string[];
  caller: InternalContext;
  onBehalfOf: OnBehalfOf;
  subgraphBaseUrl(name: string): string;
}

/** Asks one subgraph for the caller's messages after a position. */
async function askOutbox(from: string, source: string, url: string, onBehalfOf: OnBehalfOf, after: number, first: number) {
  const response = await callSubgraph(from, source, url, onBehalfOf, { after, first });
  if (response.status === 503 && ((await response.clone().json()) as { code?: string }).code === ErrorCode.DATABASE_UNAVAILABLE) {
    throw databaseUnavailableError(`The ${source} database`);
  }
  if (!response.ok) throw new Error(`outbox of ${source} answered ${response.status}`);
  return ((await response.json()) as { messages: (Omit<FeedMessage, 'source' | 'createdAt'> & { createdAt: string })[] }).messages.map(
    (m) => ({ ...m, createdAt: new Date(m.createdAt) }),
  );
}

/** The feed of one request's caller. */
export function createMessageFeed(options: MessageFeedOptions): MessageFeed {
  return {
    sources: options.sources,
    async read(after, first) {
      // One more than asked from each subgraph tells whether another page follows.
      const perSource = await Promise.all(
        options.sources.map(async (source) => {
          const from = after[source] ?? 0;
          const messages =
            source === options.self.name
              ? await readOutbox(options.self.db, options.self.dbSchema, options.caller, from, first + 1)
              : await askOutbox(
                  options.self.name,
                  source,
                  `${options.subgraphBaseUrl(source)}/internal/outbox`,
                  options.onBehalfOf,
                  from,
                  first + 1,
                );
          return messages.map((m): FeedMessage => ({ ...m, source }));
        }),
      );
      const page = mergeOldestFirst(perSource, first);
      const more = perSource.reduce((sum, messages) => sum + messages.length, 0) > first;
      let positions: FeedPositions = { ...after };
      const edges = page.map((node) => {
        positions = { ...positions, [node.source]: node.position };
        return { cursor: encodeFeedCursor(positions), node };
      });
      return { edges, endCursor: encodeFeedCursor(positions), hasNextPage: more };
    },
  };
}

/**
 * Takes up to `limit` messages oldest first across subgraphs, always the head of one subgraph's list: each subgraph's
 * position order is kept (a later position never goes before an earlier one of the same subgraph, even if its business
 * time is earlier), which is what a cursor of positions needs to skip nothing.
 */
function mergeOldestFirst(lists: readonly FeedMessage[][], limit: number): FeedMessage[] {
  const heads = lists.map(() => 0);
  const taken: FeedMessage[] = [];
  while (taken.length < limit) {
    let best = -1;
    lists.forEach((list, i) => {
      const candidate = list[heads[i]];
      if (candidate && (best < 0 || candidate.createdAt < lists[best][heads[best]].createdAt)) best = i;
    });
    if (best < 0) break;
    taken.push(lists[best][heads[best]++]);
  }
  return taken;
}
