import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevKeys } from '../../dev/dev-keys';
import { signDevToken } from '../../dev/sign-dev-token';
import { issuerAndAudienceFromEnv } from '../../gateway/auth/auth-config';
import { startGatewayProcess, startSubgraphProcess } from '../bench-servers';
import { withJoinGraphUrls } from '../join-graph-urls';
import type { BenchParticipant } from './row';

const ROOT = join(__dirname, '..', '..');
// A shared machine under load can take minutes to start a TypeScript process; a slow start is not a failed row.
const READY_TIMEOUT_MS = 300_000;

export interface NationalStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  supergraphFile: string;
  token(who: BenchParticipant): Promise<string>;
  graphql<T>(who: BenchParticipant, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The four subgraphs (one child process) and our gateway (another; enforcement and limits on, rate limit off: the
 * bench is one participant as fast as it goes) over `databaseUrl`, speaking real HTTP on 127.0.0.1.
 */
export async function startNationalStack(options: {
  databaseUrl: string;
  dataDir: string;
  logDir: string;
  tempDir: string;
}): Promise<NationalStack> {
  const keys = await ensureDevKeys(options.dataDir);
  const subgraphs = await startSubgraphProcess({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    logDir: options.logDir,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const supergraphFile = join(options.tempDir, 'supergraph.graphql');
  writeFileSync(supergraphFile, withJoinGraphUrls(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'), subgraphs.urls));
  let gateway;
  try {
    gateway = await startGatewayProcess('ours', {
      supergraphFile,
      dataDir: options.dataDir,
      logDir: options.logDir,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
  } catch (error) {
    await subgraphs.server.stop();
    throw error;
  }
  const tokens = new Map<string, Promise<string>>();
  const token = (who: BenchParticipant) => {
    const key = `${who.participant}/${who.role}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        signDevToken(keys.tokenSigning.privateJwk, {
          participant: who.participant,
          roles: [who.role],
          ttl: '1h',
          ...issuerAndAudienceFromEnv({}),
        }),
      );
    return tokens.get(key)!;
  };
  const url = gateway.url;
  return {
    gatewayUrl: url,
    subgraphUrls: subgraphs.urls,
    supergraphFile,
    token,
    async graphql<T>(who: BenchParticipant, query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(who)}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      if (body.errors?.length) throw new Error(`gateway: ${body.errors[0].message} (${body.errors[0].extensions?.code ?? 'no code'})`);
      if (!response.ok || !body.data) throw new Error(`gateway answered HTTP ${response.status} without data`);
      return body.data;
    },
    async stop() {
      await gateway.server.stop();
      await subgraphs.server.stop();
    },
  };
}
