/** One settlement period's value, as the API gives it: the local time is the settlement subgraph's, never computed here. */
export interface PeriodValue {
  settlementDate: string;
  settlementPeriod: number;
  /** ISO 8601 with the UK offset of that instant, e.g. 2026-10-25T01:00:00+01:00 and, half an hour later… +00:00. */
  localStartTime: string;
  utcStart: string;
  /** An exact decimal string (kWh). */
  value: string;
  quality: string;
}

/** A settlement day of the chart: its date and how many periods it has (46, 48 or 50 with 30-minute periods). */
export interface ChartDay {
  settlementDate: string;
  periodCount: number;
}

const WIDTH = 960;
const HEIGHT = 220;
const AXIS = 28;

/**
 * A bar per settlement period of each day in the range, numbered 1 … periodCount within its day and labelled with its
 * local start time. On the autumn clock change 01:00 and 01:30 appear twice, with different offsets.
 */
export function ConsumptionChart({ periods, days }: { periods: PeriodValue[]; days: ChartDay[] }) {
  const byPeriod = new Map(periods.map((period) => [`${period.settlementDate}|${period.settlementPeriod}`, period]));
  // Bar heights only: the numbers shown stay the API's exact strings.
  const max = Math.max(0.001, ...periods.map((period) => Number(period.value)));
  const slots = days.flatMap((day) => Array.from({ length: day.periodCount }, (_, index) => ({ day, number: index + 1 })));
  const slot = WIDTH / Math.max(1, slots.length);
  // With many days, label fewer periods so the axis stays readable.
  const every = 4 * Math.max(1, Math.ceil(days.length / 2));
  return (
    <svg
      id="consumption-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`}
      role="img"
      aria-label={`consumption in ${slots.length} settlement periods over ${days.length} settlement days`}
    >
      {slots.map(({ day, number }, index) => {
        const period = byPeriod.get(`${day.settlementDate}|${number}`);
        const height = period ? (Number(period.value) / max) * HEIGHT : 0;
        const localTime = period?.localStartTime.slice(11, 16) ?? '';
        const first = number === 1;
        return (
          <g key={`${day.settlementDate}|${number}`}>
            <rect
              className={period ? `bar ${period.quality.toLowerCase()}` : 'bar missing'}
              data-date={day.settlementDate}
              data-period={number}
              data-local-start={period?.localStartTime ?? ''}
              data-value={period?.value ?? ''}
              x={index * slot + 1}
              y={HEIGHT - height}
              width={Math.max(1, slot - 2)}
              height={height}
            >
              <title>
                {period
                  ? `${day.settlementDate} SP${number} · ${period.localStartTime} · ${period.value} kWh · ${period.quality}`
                  : `${day.settlementDate} SP${number} · no data`}
              </title>
            </rect>
            {first && days.length > 1 ? (
              <text x={index * slot} y={10} textAnchor="start" fontSize="9">
                {day.settlementDate}
              </text>
            ) : null}
            {number % every === 1 || number === day.periodCount ? (
              <text x={(index + 0.5) * slot} y={HEIGHT + 12} textAnchor={index === 0 ? 'start' : 'middle'} fontSize="9">
                {number}
              </text>
            ) : null}
            {number % every === 1 && localTime ? (
              <text x={(index + 0.5) * slot} y={HEIGHT + 24} textAnchor={index === 0 ? 'start' : 'middle'} fontSize="9">
                {localTime}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
