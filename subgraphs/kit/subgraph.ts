import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Database } from './db';
import type { Migration } from './migrate';
import type { CopyingQueryable } from './copy-rows';
import type DataLoader from 'dataloader';
import type { InternalContext } from '../../core';
import type { DayRange } from './scope';
import type { Responsibilities, ResponsibilityOwner } from './responsibility';
import type { AskSubgraph } from './ask-subgraph';
import type { OwnPartyChecks } from './enforce-access';
import type { MessageFeed } from './message-feed';
import type { SubgraphSweep } from './timed-work';

/** What a resolver sees: this request's loaders (one batch per SQL statement) and the subgraph's database. */
export interface SubgraphContext<Loaders> {
  loaders: Loaders;
  db: Database;
  /** Who is asking, in which role, as signed by the gateway. */
  caller: InternalContext;
  /** The request's business instant (the gateway's clock, carried in the signed context): never the machine's. */
  now: Date;
  /** Asks another subgraph, as the same caller, for facts it owns (read at request time, never copied). */
  askSubgraph: AskSubgraph;
  /** MPAN core → the days the caller may see it; empty when out of scope, which must look like "not found". */
  scope: DataLoader<string, readonly DayRange[]>;
  /**
   * MPAN core → the days the caller may see the metering point itself: `scope`, and for a proposed provider its
   * unanswered requests from their effective dates (IF-033). Never used to accept data: submissions check `scope`.
   */
  visibility: DataLoader<string, readonly DayRange[]>;
  /** Who held which responsibility for an MPAN, when: asked of each owner at request time, batched (kit/responsibility.ts). */
  responsibilities: Responsibilities;
  /** The caller's messages across every subgraph's outbox (kit/message-feed.ts), for the subgraph serving `messages`. */
  messageFeed: MessageFeed;
}

/**
 * The shape every subgraph exports from its index.ts, so compose, start, seed and tests loop over one list.
 * Having read one subgraph you have read all four.
 */
export interface Subgraph<Loaders = unknown, Rows = unknown> {
  /** Federation subgraph name, also its folder under subgraphs/. */
  name: string;
  /** The PostgreSQL schema this subgraph owns; no other subgraph reads it. */
  dbSchema: string;
  /** Environment variable holding this subgraph's URL for the gateway. */
  urlEnv: string;
  /** Default port of `npm start`. */
  defaultPort: number;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  migrations: Migration[];
  /** This request's loaders; `now` is the request's business instant, for loaders that depend on it. */
  createLoaders(db: Database, now: Date): Loaders;
  /**
   * Writes this subgraph's share of a dataset (the rows declared in its rows.ts); idempotent (natural keys, ON CONFLICT
   * DO NOTHING). A subgraph that writes interval data reports each written batch's size to `onIntervals`, for progress bars.
   */
  writeDataset(tx: CopyingQueryable, rows: Rows, onIntervals?: (written: number) => void): Promise<void>;
  /** Per type with `@access(ownPartyOnly: …)` fields: whether a row belongs to the caller's own party. */
  ownParty?: OwnPartyChecks;
  /** Present on a subgraph that owns responsibilities (RESPONSIBILITY_OWNER in kit/responsibility.ts). */
  responsibilityOwner?: ResponsibilityOwner;
  /** Work on the business clock that no request triggers (kit/timed-work.ts): run at start-up and every SWEEP_INTERVAL_MS. */
  sweep?: SubgraphSweep;
}
