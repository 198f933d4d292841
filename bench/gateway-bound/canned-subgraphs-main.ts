/**
 * The canned subgraphs in a process of their own (so their CPU is never the gateway's): BENCH_CANNED_UPSTREAMS (JSON:
 * subgraph name → real URL, recorded from) and BENCH_CANNED_PORTS (JSON: subgraph name → port). SIGTERM stops them.
 */
import { startCannedSubgraphs } from './canned-subgraphs';

async function main(): Promise<void> {
  const upstreams = JSON.parse(process.env.BENCH_CANNED_UPSTREAMS ?? '{}') as Record<string, string>;
  const ports = JSON.parse(process.env.BENCH_CANNED_PORTS ?? '{}') as Record<string, number>;
  if (Object.keys(upstreams).length === 0) throw new Error('BENCH_CANNED_UPSTREAMS names no subgraph');
  const canned = await startCannedSubgraphs({ upstreams, ports });
  console.log(`canned subgraphs: ${JSON.stringify(canned.urls)}`);
  process.once('SIGTERM', () => void canned.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
