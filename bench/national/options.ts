import { parseArgs } from 'node:util';

export const NATIONAL_USAGE = 'usage: npm run bench -- --suite national [--large] [--quick] [--rows id,id,…]';

export interface NationalOptions {
  /** Runs the rows marked `large` too (the 1,000,000-MPAN dataset). */
  large: boolean;
  /** Smoke run: every dataset a hundredth of its size (at least 200 MPANs); the report says so. */
  quick: boolean;
  /** Only these row ids (default every row). */
  rows: string[] | undefined;
}

/** The national suite's own flags; anything else fails with its usage. */
export function parseNationalOptions(args: string[]): NationalOptions {
  let values: { large?: boolean; quick?: boolean; rows?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { large: { type: 'boolean' }, quick: { type: 'boolean' }, rows: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${NATIONAL_USAGE}`, { cause: error });
  }
  const rows = values.rows
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return { large: values.large ?? false, quick: values.quick ?? false, rows: rows?.length ? rows : undefined };
}

/** The MPANs a dataset really gets: a hundredth on `--quick`. */
export function seededMpans(mpans: number, quick: boolean): number {
  return quick ? Math.max(200, Math.round(mpans / 100)) : mpans;
}
