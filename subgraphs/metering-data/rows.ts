/**
 * The rows the metering-data subgraph owns, as plain data: what its store writes and what a dataset (the demo, the bench's, a
 * test's) must provide for it. Dates are "YYYY-MM-DD", instants are Date, decimals are strings.
 */

/** What the metering-data subgraph stores: its share of a dataset, written by writeMeteringDataDataset. */
export interface MeteringDataRows {
  /** Number of interval rows (every version) that intervalBatches yields. */
  readonly intervalCount: number;
  /** Interval data is large (millions of rows for load work), so it arrives in batches. */
  intervalBatches(): Iterable<IntervalRow[]>;
  /** UTC instants [from, to) holding every interval (null: none), so their month partitions exist before they stream in. */
  readonly intervalSpan: { from: Date; to: Date } | null;
  readings: ReadingRow[];
  readRequests: ReadRequestRow[];
}

export interface IntervalRow {
  mpanCore: string;
  quantity: 'ACTIVE_IMPORT' | 'ACTIVE_EXPORT' | 'REACTIVE_IMPORT' | 'REACTIVE_EXPORT';
  utcStart: Date;
  periodMinutes: number;
  version: number;
  value: string;
  quality: 'ACTUAL' | 'ESTIMATED' | 'DEEMED' | 'UMS_CALCULATED';
  estimationMethod: string | null;
  dataServiceId: string;
  receivedAt: Date;
  deEnergisedFlag: boolean;
  /** When a later version replaced this one; null for the current version. */
  supersededAt: Date | null;
}

export interface ReadingRow {
  mpanCore: string;
  meterId: string;
  registerId: string;
  readAt: Date;
  version: number;
  value: string;
  method: 'REMOTE' | 'PHYSICAL' | 'CUSTOMER';
  event: 'ROUTINE' | 'READING_COS' | 'READING_ONSITE';
  siteVisitCheckCode: string | null;
  submittedBy: string;
  receivedAt: Date;
}

export interface ReadRequestRow {
  id: string;
  mpanCore: string;
  meterId: string;
  reason: 'NON_SMART_METER' | 'SMART_COMMS_FAULT' | 'CHANGE_OF_SUPPLIER';
  status: 'OPEN' | 'FULFILLED' | 'CANCELLED';
  meterReadingServiceId: string;
  requestedAt: Date;
  dueBy: Date;
  /** Who raised it, in which role (whoever may cancel it, and is told when it is fulfilled); null for none. */
  raisedBy?: string | null;
  raisedByRole?: string | null;
}
