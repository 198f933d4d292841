import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { inTransaction, type Queryable } from './db';
import { snakeCase } from './insert-rows';
import { copyLines } from './copy-text';
import { withIndexesDeferred } from './defer-indexes';

/** A transaction that can also stream `COPY … FROM STDIN` text into the server. */
export interface CopyingQueryable extends Queryable {
  copyFrom(copySql: string, text: Iterable<string> | AsyncIterable<string>): Promise<void>;
}

/**
 * Runs `work` in one transaction on a connection of its own that can COPY: committed when it resolves, rolled back when
 * it throws, so a bulk load is all or nothing.
 */
export async function withCopyingTransaction<T>(
  databaseUrl: string,
  applicationName: string,
  work: (tx: CopyingQueryable) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: databaseUrl, application_name: applicationName });
  await client.connect();
  const tx: CopyingQueryable = {
    query: async (sql, params) => (await client.query(sql, params)).rows,
    copyFrom: (copySql, text) => pipeline(Readable.from(text), client.query(copyFromStdin(copySql))),
  };
  try {
    return await inTransaction(client, () => work(tx));
  } finally {
    await client.end();
  }
}

/** Rows per staging round when the table already has rows: big enough to amortise statements, small enough for temp buffers. */
const STAGING_ROWS = 100_000;

export interface CopyOptions {
  /** Hears each batch's size as it is sent, for progress bars. */
  onBatch?: (rows: number) => void;
  /** Rows per staging round (tests make it small). */
  stagingRows?: number;
  /** The row keys to write (camelCase); by default every key of the first row. */
  keys?: readonly string[];
}

/**
 * Bulk-loads camelCase rows into `table` (schema-qualified) with COPY, keeping rows that exist already, so loading the
 * same rows twice changes nothing. Keys of the first row name the columns (snake_case); other columns get their default.
 * Writers of the table wait until the transaction ends (reads go on): into an empty table the rows are copied straight
 * in with its indexes built afterwards (readers wait too), else through a temporary staging table and `INSERT … ON CONFLICT DO NOTHING`, a round at a time.
 */
export async function copyRowsIgnoringExisting(
  tx: CopyingQueryable,
  table: string,
  batches: Iterable<readonly object[]>,
  { onBatch = () => undefined, stagingRows = STAGING_ROWS, keys: chosenKeys }: CopyOptions = {},
): Promise<void> {
  const iterator = batches[Symbol.iterator]();
  let first = iterator.next();
  while (!first.done && first.value.length === 0) first = iterator.next();
  if (first.done) return;
  const firstBatch = first.value;
  const keys = chosenKeys ?? Object.keys(firstBatch[0]);
  const columns = keys.map(snakeCase).join(', ');
  // The batches again from the first, which was read to learn the columns; still one pass over a generator.
  function* everyBatch(): Generator<readonly object[]> {
    yield firstBatch;
    for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
  }

  // Writers wait from here, so "empty" stays true until the rows are in.
  await tx.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
  const [{ empty }] = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`);
  if (empty) {
    // Statistics are refreshed once for every table by the caller (writeDataset), not here as well.
    await withIndexesDeferred(tx, table, () => tx.copyFrom(`COPY ${table} (${columns}) FROM STDIN`, copyText(everyBatch(), keys, onBatch)));
    return;
  }
  const staging = `copy_staging_${table.replace(/\W/g, '_')}`;
  await tx.query(`CREATE TEMPORARY TABLE ${staging} (LIKE ${table}) ON COMMIT DROP`);
  for (const group of groupsOf(everyBatch(), stagingRows)) {
    await tx.copyFrom(`COPY ${staging} (${columns}) FROM STDIN`, copyText(group, keys, onBatch));
    await tx.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${staging} ON CONFLICT DO NOTHING`);
    await tx.query(`TRUNCATE ${staging}`);
  }
  await tx.query(`DROP TABLE ${staging}`);
}

/** Each batch as one chunk of COPY text, reported to `onBatch` as it goes. */
function* copyText(batches: Iterable<readonly object[]>, keys: readonly string[], onBatch: (rows: number) => void): Generator<string> {
  for (const batch of batches) {
    if (batch.length === 0) continue;
    const text = copyLines(batch, keys);
    onBatch(batch.length);
    yield text;
  }
}

/** Consecutive batches grouped until a group holds at least `rows` rows. */
function* groupsOf(batches: Iterable<readonly object[]>, rows: number): Generator<(readonly object[])[]> {
  let group: (readonly object[])[] = [];
  let size = 0;
  for (const batch of batches) {
    group.push(batch);
    size += batch.length;
    if (size >= rows) {
      yield group;
      group = [];
      size = 0;
    }
  }
  if (group.length > 0) yield group;
}
