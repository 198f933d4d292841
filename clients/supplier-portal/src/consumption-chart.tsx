/** One settlement period's value, as the API gives it: the local time is the settlement subgraph's, never computed here. */
export interface PeriodValue {
  settlementPeriod: number;
  /** ISO 8601 with the UK offset of that instant, e.g. 2026-10-25T01:00:00+01:00 and, half an hour later… +00:00. */
  localStartTime: string;
  utcStart: string;
  /** An exact decimal string (kWh). */
  value: string;
  quality: string;
}

const WIDTH = 960;
const HEIGHT = 220;
const AXIS = 28;

/**
 * A bar per settlement period, numbered 1 … periodCount (46, 48 or 50 with 30-minute periods), labelled with its
 * local start time. On the autumn clock change 01:00 and 01:30 appear twice, with different offsets.
 */
export function ConsumptionChart({ periods, periodCount }: { periods: PeriodValue[]; periodCount: number }) {
  const byPeriod = new Map(periods.map((period) => [period.settlementPeriod, period]));
  // Bar heights only: the numbers shown stay the API's exact strings.
  const max = Math.max(0.001, ...periods.map((period) => Number(period.value)));
  const slot = WIDTH / periodCount;
  return (
    <svg
      id="consumption-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`}
      role="img"
      aria-label={`consumption in ${periodCount} settlement periods`}
    >
      {Array.from({ length: periodCount }, (_, index) => index + 1).map((number) => {
        const period = byPeriod.get(number);
        const height = period ? (Number(period.value) / max) * HEIGHT : 0;
        const localTime = period?.localStartTime.slice(11, 16) ?? '';
        return (
          <g key={number}>
            <rect
              className={period ? `bar ${period.quality.toLowerCase()}` : 'bar missing'}
              data-period={number}
              data-local-start={period?.localStartTime ?? ''}
              data-value={period?.value ?? ''}
              x={(number - 1) * slot + 1}
              y={HEIGHT - height}
              width={Math.max(1, slot - 2)}
              height={height}
            >
              <title>
                {period ? `SP${number} · ${period.localStartTime} · ${period.value} kWh · ${period.quality}` : `SP${number} · no data`}
              </title>
            </rect>
            {number % 4 === 1 || number === periodCount ? (
              <text x={(number - 0.5) * slot} y={HEIGHT + 12} textAnchor={number === 1 ? 'start' : 'middle'} fontSize="9">
                {number}
              </text>
            ) : null}
            {number % 4 === 1 && localTime ? (
              <text x={(number - 0.5) * slot} y={HEIGHT + 24} textAnchor={number === 1 ? 'start' : 'middle'} fontSize="9">
                {localTime}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
