import type { AskSubgraph } from '../kit/ask-subgraph';

/** A settlement day as the settlement subgraph defines it: a UK local day, as the UTC range [utcStart, utcEnd). */
export interface SettlementDayRange {
  settlementDate: string;
  utcStart: Date;
  utcEnd: Date;
}

const DAY = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The settlement days holding the given instants, asked of the settlement subgraph in one request: clock time exists
 * only there (PRI-014), so metering data never works out a UK day itself. An instant lies on its own UTC date's
 * settlement day or on the next one (UK local midnight is at or before UTC midnight), so both are asked for.
 */
export async function askSettlementDays(askSubgraph: AskSubgraph, instants: Iterable<Date>): Promise<SettlementDayRange[]> {
  const dates = new Set<string>();
  for (const instant of instants) {
    dates.add(utcDate(instant.getTime()));
    dates.add(utcDate(instant.getTime() + DAY));
  }
  return askSettlementDaysOf(askSubgraph, dates);
}

/** The settlement days of the given settlement dates ("YYYY-MM-DD"), in date order, asked in one request. */
export async function askSettlementDaysOf(askSubgraph: AskSubgraph, dates: Iterable<string>): Promise<SettlementDayRange[]> {
  const list = [...new Set(dates)].sort();
  if (list.length === 0) return [];
  const answer = await askSubgraph<Record<string, { settlementDate: string; utcStart: string; utcEnd: string }>>(
    'settlement',
    `query(${list.map((_, i) => `$d${i}: Date!`).join(', ')}) {
${list.map((_, i) => `  d${i}: settlementDay(settlementDate: $d${i}) { settlementDate utcStart utcEnd }`).join('\n')}
}`,
    Object.fromEntries(list.map((date, i) => [`d${i}`, date])),
  );
  return list.map((_, i) => {
    const day = answer[`d${i}`];
    return { settlementDate: day.settlementDate, utcStart: new Date(day.utcStart), utcEnd: new Date(day.utcEnd) };
  });
}

/** Finds the settlement day of an instant among `days` (from `askSettlementDays` for that instant). */
export function settlementDayFinder(days: readonly SettlementDayRange[]): (instant: Date) => SettlementDayRange {
  const byDate = new Map(days.map((day) => [day.settlementDate, day]));
  return (instant) => {
    for (const date of [utcDate(instant.getTime()), utcDate(instant.getTime() + DAY)]) {
      const day = byDate.get(date);
      if (day && day.utcStart <= instant && instant < day.utcEnd) return day;
    }
    throw new Error(`no settlement day was asked for ${instant.toISOString()}`);
  };
}
