/**
 * The gateway-bound scenario's own servers: the canned subgraphs in a process of their own and one process per
 * gateway target, all on a supergraph file whose `@join__graph` URLs are the canned servers. The other scenarios'
 * gateways (on the real subgraphs) are not these processes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subgraphs } from '../../subgraphs';
import { freePort } from '../../dev/free-port';
import { startChildServer, type ChildServer } from '../child-server';
import { childEnv, startGatewayProcess, type RunningGateway } from '../bench-servers';
import { withJoinGraphUrls } from '../join-graph-urls';
import type { GatewayTargetId } from '../targets';
import { cannedSubgraphStats, replayCannedSubgraphs, type CannedStats } from './canned-subgraphs';

export interface GatewayBoundStack {
  canned: ChildServer;
  cannedUrls: Record<string, string>;
  gateways: Map<GatewayTargetId, RunningGateway>;
  /**
   * Sends every body once through every gateway (the canned servers forward and record the real subgraphs' answers
   * to exactly the requests each gateway's plan makes), then switches the canned servers to replay.
   */
  record(bodies: readonly string[], post: (target: GatewayTargetId, body: string) => Promise<void>): Promise<Record<string, CannedStats>>;
  stats(): Promise<Record<string, CannedStats>>;
  stop(): Promise<void>;
}

export async function startGatewayBoundStack(options: {
  /** The real subgraphs, recorded from. */
  realUrls: Record<string, string>;
  targets: readonly GatewayTargetId[];
  dataDir: string;
  logDir: string;
  tempDir: string;
  supergraphSdl: string;
}): Promise<GatewayBoundStack> {
  const ports: Record<string, number> = {};
  for (const subgraph of subgraphs) ports[subgraph.name] = await freePort();
  const canned = await startChildServer({
    name: 'canned-subgraphs',
    entry: join(__dirname, 'canned-subgraphs-main.ts'),
    env: childEnv({ BENCH_CANNED_UPSTREAMS: JSON.stringify(options.realUrls), BENCH_CANNED_PORTS: JSON.stringify(ports) }),
    logFile: join(options.logDir, 'canned-subgraphs.log'),
    ports: Object.values(ports),
  });
  const cannedUrls = Object.fromEntries(subgraphs.map((s) => [s.name, `http://127.0.0.1:${ports[s.name]}/graphql`]));
  const gateways = new Map<GatewayTargetId, RunningGateway>();
  const stop = async () => {
    for (const gateway of gateways.values()) await gateway.server.stop();
    await canned.stop();
  };
  try {
    const supergraphFile = join(options.tempDir, 'supergraph-canned.graphql');
    writeFileSync(supergraphFile, withJoinGraphUrls(options.supergraphSdl, cannedUrls));
    for (const target of options.targets) {
      // Log files of their own: the real-stack gateway of the same target writes `<target>.log`.
      const gateway = await startGatewayProcess(target, {
        supergraphFile,
        dataDir: options.dataDir,
        logDir: options.logDir,
        logName: `gateway-bound-${target}`,
      });
      gateways.set(target, gateway);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const anyUrl = Object.values(cannedUrls)[0];
  return {
    canned,
    cannedUrls,
    gateways,
    async record(bodies, post) {
      for (const target of gateways.keys()) for (const body of bodies) await post(target, body);
      return replayCannedSubgraphs(anyUrl);
    },
    stats: () => cannedSubgraphStats(anyUrl),
    stop,
  };
}
