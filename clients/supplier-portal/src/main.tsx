/**
 * A supplier's view of its metering points, built only on the public API: pick an MPAN, see its consumption over a
 * range of settlement days period by period in UK local time (the clock-change days have 46 or 50 periods), the MPAN's
 * appointments and their status, and the supplier's settlement volumes for those days.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { APPOINTMENTS, CONSUMPTION, MY_METERING_POINTS, SETTLEMENT_DAY, SETTLEMENT_VOLUMES } from './operations';
import type { AppointmentsQuery, ConsumptionQuery, MyMeteringPointsQuery, SettlementVolumesQuery } from './gql/graphql';
import { ApiError, devSupplierToken, request } from './api';
import { ConsumptionChart, type ChartDay, type PeriodValue } from './consumption-chart';
import { addDecimals } from './decimal';
import './portal.css';

type MeteringPoint = MyMeteringPointsQuery['meteringPointPage']['nodes'][number];
type Appointment = NonNullable<AppointmentsQuery['meteringPoint']>['appointmentHistory'][number];
type Run = SettlementVolumesQuery['settlementRuns'][number];
type Interval = NonNullable<ConsumptionQuery['meteringPoint']>['consumption']['edges'][number]['node'];

const params = new URLSearchParams(location.search);

/** The longest range the portal reads at once: a month of settlement days. */
const MAX_DAYS = 31;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The settlement dates from `first` to `last`, both included; empty when the range is reversed or too long. */
function settlementDates(first: string, last: string): string[] {
  if (!DATE.test(first) || !DATE.test(last) || last < first) return [];
  const dates: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); dates.length <= MAX_DAYS; at += 86_400_000) {
    const date = new Date(at).toISOString().slice(0, 10);
    if (date > last) return dates;
    dates.push(date);
  }
  return [];
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.message}${error.reason ? ` (${error.reason})` : error.code ? ` (${error.code})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** All of the supplier's metering points, page by page. */
async function loadMeteringPoints(token: string): Promise<MeteringPoint[]> {
  const points: MeteringPoint[] = [];
  let after: string | null | undefined = null;
  do {
    const { meteringPointPage }: MyMeteringPointsQuery = await request(token, MY_METERING_POINTS, { after });
    points.push(...meteringPointPage.nodes);
    after = meteringPointPage.hasNextPage ? meteringPointPage.endCursor : null;
  } while (after);
  return points;
}

/**
 * The intervals of one MPAN over consecutive settlement days: each day's UTC bounds and period count come from the
 * settlement subgraph, and the consumption is read from the first day's start to the last day's end, page by page.
 */
async function loadDays(token: string, mpanCore: string, dates: string[]): Promise<{ days: ChartDay[]; intervals: Interval[] }> {
  const bounds = await Promise.all(
    dates.map(async (settlementDate) => (await request(token, SETTLEMENT_DAY, { settlementDate })).settlementDay),
  );
  const intervals: Interval[] = [];
  let after: string | null | undefined = null;
  do {
    const { meteringPoint }: ConsumptionQuery = await request(token, CONSUMPTION, {
      mpanCore,
      from: bounds[0].utcStart,
      to: bounds[bounds.length - 1].utcEnd,
      after,
    });
    if (!meteringPoint) break;
    intervals.push(...meteringPoint.consumption.edges.map((edge) => edge.node));
    after = meteringPoint.consumption.pageInfo.hasNextPage ? meteringPoint.consumption.pageInfo.endCursor : null;
  } while (after);
  return { days: bounds.map((day) => ({ settlementDate: day.settlementDate, periodCount: day.periodCount })), intervals };
}

function Portal() {
  const [token, setToken] = useState(params.get('token') ?? '');
  const [points, setPoints] = useState<MeteringPoint[] | null>(null);
  const [mpanCore, setMpanCore] = useState(params.get('mpan') ?? '');
  const [settlementDate, setSettlementDate] = useState(params.get('date') ?? '2026-10-25');
  const [throughDate, setThroughDate] = useState(params.get('through') ?? params.get('date') ?? '2026-10-25');
  const [range, setRange] = useState<{ days: ChartDay[]; periods: PeriodValue[]; total: string } | null>(null);
  const [appointments, setAppointments] = useState<Appointment[] | null>(null);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) void devSupplierToken().then((dev) => dev && setToken(dev));
  }, [token]);

  useEffect(() => {
    if (!token) return;
    loadMeteringPoints(token)
      .then((loaded) => {
        setPoints(loaded);
        setMpanCore((current) => current || loaded[0]?.mpanCore || '');
      })
      .catch((e) => setError(describe(e)));
  }, [token]);

  useEffect(() => {
    if (!token || !mpanCore) return;
    const dates = settlementDates(settlementDate, throughDate < settlementDate ? settlementDate : throughDate);
    if (dates.length === 0) {
      setError(`choose a range of 1 to ${MAX_DAYS} settlement days, the second date on or after the first`);
      return;
    }
    setError(null);
    setRange(null);
    setAppointments(null);
    setRuns(null);
    loadDays(token, mpanCore, dates)
      .then(({ days, intervals }) =>
        setRange({
          days,
          periods: intervals.map((interval) => ({
            settlementDate: interval.settlementPeriod.settlementDate,
            settlementPeriod: interval.settlementPeriod.settlementPeriod,
            localStartTime: interval.settlementPeriod.localStartTime,
            utcStart: interval.utcStart,
            value: interval.value,
            quality: interval.quality,
          })),
          total: addDecimals(intervals.map((interval) => interval.value)),
        }),
      )
      .catch((e) => setError(describe(e)));
    request(token, APPOINTMENTS, { mpanCore })
      .then(({ meteringPoint }) => setAppointments(meteringPoint?.appointmentHistory ?? []))
      .catch((e) => setError(describe(e)));
    Promise.all(dates.map((date) => request(token, SETTLEMENT_VOLUMES, { settlementDate: date })))
      .then((answers) => setRuns(answers.flatMap(({ settlementRuns }) => settlementRuns)))
      .catch((e) => setError(describe(e)));
  }, [token, mpanCore, settlementDate, throughDate]);

  return (
    <main>
      <header>
        <h1>Supplier portal</h1>
        <label>
          Token{' '}
          <input id="token" value={token} onChange={(event) => setToken(event.target.value.trim())} placeholder="supplier bearer token" />
        </label>
      </header>
      <section className="controls">
        <label>
          Metering point
          <select id="mpan" value={mpanCore} onChange={(event) => setMpanCore(event.target.value)} disabled={!points}>
            {(points ?? []).map((point) => (
              <option key={point.mpanCore} value={point.mpanCore}>
                {point.mpanCore} · {point.marketSegment} · {point.energisationStatus} · {point.gspGroup?.name ?? '?'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Settlement date{' '}
          <input
            id="date"
            type="date"
            value={settlementDate}
            onChange={(event) => {
              // A new first day starts a one-day range; "through" then widens it.
              setSettlementDate(event.target.value);
              setThroughDate(event.target.value);
            }}
          />
        </label>
        <label>
          through <input id="through" type="date" value={throughDate} onChange={(event) => setThroughDate(event.target.value)} />
        </label>
      </section>
      {error ? (
        <p id="error" role="alert">
          {error}
        </p>
      ) : null}
      <section>
        <h2>Consumption</h2>
        {range ? (
          <>
            <p id="consumption-summary">
              {range.periods.length} of {range.days.reduce((sum, day) => sum + day.periodCount, 0)} settlement periods over{' '}
              {range.days.length} settlement {range.days.length === 1 ? 'day' : 'days'} · total <span id="total">{range.total}</span> kWh
            </p>
            <ConsumptionChart periods={range.periods} days={range.days} />
          </>
        ) : (
          <p>Loading…</p>
        )}
      </section>
      <section>
        <h2>Appointments</h2>
        <table id="appointments">
          <thead>
            <tr>
              <th>service</th>
              <th>provider</th>
              <th>status</th>
              <th>from</th>
              <th>to</th>
            </tr>
          </thead>
          <tbody>
            {(appointments ?? []).map((appointment) => (
              <tr key={appointment.id} data-status={appointment.status}>
                <td>{appointment.serviceRole}</td>
                <td>
                  {appointment.provider.name} ({appointment.provider.id})
                </td>
                <td>
                  {appointment.status}
                  {appointment.overdue ? ' · overdue' : ''}
                </td>
                <td>{appointment.effectiveFrom}</td>
                <td>{appointment.effectiveTo ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Settlement volumes</h2>
        {(runs ?? []).map((run) => (
          <div key={run.id} className="run" data-run={run.id}>
            <h3>
              {run.settlementDate} · {run.runType} run · {run.status}
            </h3>
            <p>
              Total <span className="run-total">{addDecimals(run.aggregatedVolumes.map((volume) => volume.volume))}</span> kWh over{' '}
              {new Set(run.aggregatedVolumes.map((volume) => volume.settlementPeriod.settlementPeriod)).size} periods · exceptions:{' '}
              {run.exceptionSummary.map((count) => `${count.exceptionType} ${count.count}`).join(', ') || 'none'}
            </p>
          </div>
        ))}
        {runs && runs.length === 0 ? <p>No settlement run for these dates.</p> : null}
      </section>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
