/**
 * Issue 16, part 5: "a row with two replicas of everything". Two gateways and two of each subgraph behind HAProxy
 * (Debian's), on the dataset's PostgreSQL, against one of each on the same processes, in the same run
 * (replicas-throughput.ts). No target: on the bench's two cores two replicas of everything only share the same
 * cores (expect about 1×); the row shows the replicas answer correctly under load and what they cost.
 */
import type { NationalContext, NationalRow, RowResult } from './row';
import { describeReplicaThroughput, failures, measureReplicaThroughput } from './replicas-throughput';

const SUPPLIER = { role: 'SUPPLIER' as const, participant: 'SUPA' };
const DASHBOARD_PROBE = `query($mpanCore: MpanCore!) { meteringPoint(mpanCore: $mpanCore) { currentSupplier { supplier { id } } } }`;

/** Up to 20 of the dataset's sample MPANs the supplier is registered on now (the dashboard reads its own MPANs). */
async function supplierMpans(ctx: NationalContext): Promise<string[]> {
  const own: string[] = [];
  for (const mpanCore of ctx.dataset.sampleMpanCores) {
    if (own.length >= 20) break;
    const answer = await fetch(ctx.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(SUPPLIER)}` },
      body: JSON.stringify({ query: DASHBOARD_PROBE, variables: { mpanCore } }),
    }).then((response) => response.json() as Promise<{ data?: { meteringPoint?: { currentSupplier?: { supplier?: { id?: string } } } } }>);
    if (answer.data?.meteringPoint?.currentSupplier?.supplier?.id === SUPPLIER.participant) own.push(mpanCore);
  }
  if (own.length === 0) throw new Error(`none of the dataset's sample MPANs is supplied by ${SUPPLIER.participant}`);
  return own;
}

async function run(ctx: NationalContext): Promise<RowResult> {
  const day = new Date(`${ctx.dataset.settlementDate}T00:00:00Z`);
  const result = await measureReplicaThroughput({
    databaseUrl: ctx.databaseUrl,
    // The national stack already mints tokens its dev keys sign; the replicas trust the same keys.
    keys: { dataDir: ctx.dataDir, token: (actor) => ctx.token(actor) },
    supplier: SUPPLIER,
    mpanCores: await supplierMpans(ctx),
    // The settlement date is a GMT day: its 48 periods are one UTC day.
    from: day.toISOString(),
    to: new Date(day.getTime() + 86_400_000).toISOString(),
    clockAt: null,
    secondsPerRound: 10,
    log: ctx.log,
  });
  const rounds = result.rounds.map(
    (r) =>
      `${r.replicas}×: ${r.result.requestsPerSecond.toFixed(1)} req/s (p95 ${Math.round(r.result.p95)} ms, ${failures(r.result)} failed)`,
  );
  return {
    value: Number((result.two / result.one).toFixed(2)),
    unit: '× (2 replicas vs 1)',
    detail:
      `${describeReplicaThroughput(result)}. Supplier dashboard of one MPAN (48 intervals, all four subgraphs), 8 connections, ` +
      `rounds alternating 1×/2× on the same processes (HAProxy maint on the second replica): ${rounds.join(', ')}. ` +
      `On ${result.cores} cores more replicas only share the same CPUs; replicas scale with cores (SCALING.md).`,
  };
}

export const rows: NationalRow[] = [
  {
    id: 'replicas-2x-10k',
    title: 'Two replicas of everything (2 gateways, 2 of each subgraph) behind HAProxy vs one of each: dashboard reads',
    mpans: 10_000,
    run,
  },
];
