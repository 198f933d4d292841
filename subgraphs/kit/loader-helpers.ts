import DataLoader from 'dataloader';

/**
 * A loader of at most one row per key: `fetch` runs one SQL statement for the whole batch, and results come back in
 * key order with null for keys that have no row (DataLoader's contract).
 */
export function oneRowPerKey<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOfRow: (row: R) => string,
  keyToString: (key: K) => string = String,
): DataLoader<K, R | null, string> {
  return new DataLoader<K, R | null, string>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((row) => [keyOfRow(row), row]));
      return keys.map((key) => byKey.get(keyToString(key)) ?? null);
    },
    { cacheKeyFn: keyToString },
  );
}

/**
 * A loader of a list of rows per key (children of a parent): one SQL statement per batch, each key gets its rows in
 * the order `fetch` returned them, or an empty list.
 */
export function rowsPerKey<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOfRow: (row: R) => string,
  keyToString: (key: K) => string = String,
): DataLoader<K, R[], string> {
  return new DataLoader<K, R[], string>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<string, R[]>();
      for (const row of rows) {
        const key = keyOfRow(row);
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
      }
      return keys.map((key) => byKey.get(keyToString(key)) ?? []);
    },
    { cacheKeyFn: keyToString },
  );
}

/**
 * A loader of a list of rows per composite key, for queries that join the keys in with `unnest(...) WITH ORDINALITY`:
 * each row carries `ord`, the 1-based position of the key it answers in the batch.
 */
export function rowsPerKeyPosition<K, R extends { ord: number }>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyToString: (key: K) => string,
): DataLoader<K, R[], string> {
  return new DataLoader<K, R[], string>(
    async (keys) => {
      const grouped: R[][] = keys.map(() => []);
      for (const row of await fetch(keys)) grouped[row.ord - 1].push(row);
      return grouped;
    },
    { cacheKeyFn: keyToString },
  );
}
