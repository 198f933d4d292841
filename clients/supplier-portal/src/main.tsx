/**
 * A supplier's view of its metering points, built only on the public API: pick an MPAN, see a settlement day's
 * consumption period by period in UK local time (the clock-change days have 46 or 50 periods), the MPAN's
 * appointments and their status, and the supplier's settlement volumes for that day.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { APPOINTMENTS, CONSUMPTION, MY_METERING_POINTS, SETTLEMENT_DAY, SETTLEMENT_VOLUMES } from './operations';
import type { AppointmentsQuery, ConsumptionQuery, MyMeteringPointsQuery, SettlementVolumesQuery } from './gql/graphql';
import { ApiError, devSupplierToken, request } from './api';
import { ConsumptionChart, type PeriodValue } from './consumption-chart';
import { addDecimals } from './decimal';
import './portal.css';

type MeteringPoint = MyMeteringPointsQuery['meteringPointPage']['nodes'][number];
type Appointment = NonNullable<AppointmentsQuery['meteringPoint']>['appointmentHistory'][number];
type Run = SettlementVolumesQuery['settlementRuns'][number];
type Interval = NonNullable<ConsumptionQuery['meteringPoint']>['consumption']['edges'][number]['node'];

const params = new URLSearchParams(location.search);

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

/** A settlement day's intervals of one MPAN: the day's UTC bounds come from the settlement subgraph. */
async function loadDay(token: string, mpanCore: string, settlementDate: string): Promise<{ periodCount: number; intervals: Interval[] }> {
  const { settlementDay } = await request(token, SETTLEMENT_DAY, { settlementDate });
  const intervals: Interval[] = [];
  let after: string | null | undefined = null;
  do {
    const { meteringPoint }: ConsumptionQuery = await request(token, CONSUMPTION, {
      mpanCore,
      from: settlementDay.utcStart,
      to: settlementDay.utcEnd,
      after,
    });
    if (!meteringPoint) break;
    intervals.push(...meteringPoint.consumption.edges.map((edge) => edge.node));
    after = meteringPoint.consumption.pageInfo.hasNextPage ? meteringPoint.consumption.pageInfo.endCursor : null;
  } while (after);
  return { periodCount: settlementDay.periodCount, intervals };
}

function Portal() {
  const [token, setToken] = useState(params.get('token') ?? '');
  const [points, setPoints] = useState<MeteringPoint[] | null>(null);
  const [mpanCore, setMpanCore] = useState(params.get('mpan') ?? '');
  const [settlementDate, setSettlementDate] = useState(params.get('date') ?? '2026-10-25');
  const [day, setDay] = useState<{ periodCount: number; periods: PeriodValue[]; total: string } | null>(null);
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
    if (!token || !mpanCore || !/^\d{4}-\d{2}-\d{2}$/.test(settlementDate)) return;
    setError(null);
    setDay(null);
    setAppointments(null);
    setRuns(null);
    loadDay(token, mpanCore, settlementDate)
      .then(({ periodCount, intervals }) =>
        setDay({
          periodCount,
          periods: intervals.map((interval) => ({
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
    request(token, SETTLEMENT_VOLUMES, { settlementDate })
      .then(({ settlementRuns }) => setRuns(settlementRuns))
      .catch((e) => setError(describe(e)));
  }, [token, mpanCore, settlementDate]);

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
          Settlement date <input id="date" type="date" value={settlementDate} onChange={(event) => setSettlementDate(event.target.value)} />
        </label>
      </section>
      {error ? (
        <p id="error" role="alert">
          {error}
        </p>
      ) : null}
      <section>
        <h2>Consumption</h2>
        {day ? (
          <>
            <p id="consumption-summary">
              {day.periods.length} of {day.periodCount} settlement periods · total <span id="total">{day.total}</span> kWh
            </p>
            <ConsumptionChart periods={day.periods} periodCount={day.periodCount} />
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
              {run.runType} run · {run.status}
            </h3>
            <p>
              Total <span className="run-total">{addDecimals(run.aggregatedVolumes.map((volume) => volume.volume))}</span> kWh over{' '}
              {new Set(run.aggregatedVolumes.map((volume) => volume.settlementPeriod.settlementPeriod)).size} periods · exceptions:{' '}
              {run.exceptionSummary.map((count) => `${count.exceptionType} ${count.count}`).join(', ') || 'none'}
            </p>
          </div>
        ))}
        {runs && runs.length === 0 ? <p>No settlement run for this date.</p> : null}
      </section>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
