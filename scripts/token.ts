/**
 * `npm run --silent token -- --role ROLE --participant MPID [--roles R1,R2] [--ttl 1h]` prints a dev token, and only
 * the token, on one stdout line (DESIGN.md contract). It is signed with the dev key in DATA_DIR (default .data/),
 * created here when missing, so it works before the first `npm start`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevKeys } from '../dev/dev-keys';
import { issuerAndAudienceFromEnv } from '../gateway/auth/auth-config';
import { isDevTokenTtl, signDevToken } from '../dev/sign-dev-token';
import { isMarketRole, MARKET_ROLES, type MarketRole } from '../core';

const USAGE = 'usage: npm run --silent token -- --role ROLE --participant MPID [--roles ROLE,ROLE...] [--ttl 1h]';

class UsageError extends Error {}

/** The token's claims from the command line; every mistake is a UsageError saying what is accepted. */
function parseOptions(args: string[]): { participant: string; roles: MarketRole[]; ttl: string } {
  let values: { role?: string; roles?: string; participant?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        role: { type: 'string' },
        roles: { type: 'string' },
        participant: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const participant = values.participant?.trim();
  if (!participant) throw new UsageError('--participant is required: the participant id (MPID) the token is for');
  const listed = values.roles
    ?.split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const roles = listed ?? (values.role ? [values.role] : []);
  if (roles.length === 0) throw new UsageError('give the role the token is for with --role (and every role held with --roles)');
  const unknown = roles.find((role) => !isMarketRole(role));
  if (unknown !== undefined) throw new UsageError(`"${unknown}" is not a market role; valid roles: ${MARKET_ROLES.join(', ')}`);
  if (values.role && !roles.includes(values.role)) throw new UsageError(`--roles must include --role ${values.role}`);
  const ttl = values.ttl ?? '1h';
  if (!isDevTokenTtl(ttl)) throw new UsageError(`--ttl "${ttl}" is not a lifetime: use a number and s, m, h or d, such as 30s, 15m, 1h`);
  return { participant, roles: [...new Set(roles as MarketRole[])], ttl };
}

async function main(): Promise<void> {
  const claims = parseOptions(process.argv.slice(2));
  if (process.env.AUTH_JWKS_FILE || process.env.AUTH_JWKS_URL) {
    process.stderr.write(
      'warning: AUTH_JWKS_FILE or AUTH_JWKS_URL is set, so a gateway with this environment will not trust the dev key\n',
    );
  }
  const keys = await ensureDevKeys(process.env.DATA_DIR ?? join(__dirname, '..', '.data'));
  const token = await signDevToken(keys.tokenSigning.privateJwk, { ...claims, ...issuerAndAudienceFromEnv(process.env) });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof UsageError ? `${error.message}\n${USAGE}\n` : `${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
