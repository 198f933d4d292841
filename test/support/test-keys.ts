import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevKeys, DevKeys } from '../../dev/dev-keys';
import { signDevToken } from '../../dev/sign-dev-token';
import { signInternalContext, type ContextBinding, type MarketRole } from '../../core';
import { loadStackSecurity, StackSecurity } from '../../dev/security';
import { TEST_NOW } from './test-clock';

/** Who a test acts as. */
export interface Actor {
  role: MarketRole;
  participant: string;
  /** Every role the token holds; defaults to [role]. */
  roles?: MarketRole[];
}

export interface TestKeys {
  dataDir: string;
  keys: DevKeys;
  security: StackSecurity;
  /** A real bearer token signed with this run's dev key. */
  token(actor: Actor, ttl?: string): Promise<string>;
  /** A real internal context, as the gateway would sign it for one subgraph call (`binding`) at business instant `now`. */
  internalContext(actor: Actor, binding: ContextBinding, now?: Date): Promise<string>;
}

let shared: Promise<TestKeys> | undefined;

/** Dev keys in a temp directory of this test file's own, and the stack security built on them (env ignored). */
export function testKeys(): Promise<TestKeys> {
  shared ??= (async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mhhs-test-keys-'));
    chmodSync(dataDir, 0o755);
    const keys = await ensureDevKeys(dataDir);
    const security = await loadStackSecurity({}, dataDir);
    return {
      dataDir,
      keys,
      security,
      token: (actor, ttl = '10m') =>
        signDevToken(keys.tokenSigning.privateJwk, {
          participant: actor.participant,
          roles: actor.roles ?? [actor.role],
          ttl,
          issuer: 'mhhs-dev',
          audience: 'mhhs-data-gateway',
        }),
      internalContext: (actor, binding, now = TEST_NOW) =>
        signInternalContext(
          keys.internalContext.privateKey,
          { participant: actor.participant, role: actor.role, requestId: 'test', now },
          binding,
        ),
    };
  })();
  return shared;
}
