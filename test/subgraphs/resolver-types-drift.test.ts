import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// graphql-codegen ships ESM that jest's module loader cannot require, so the check runs as its own process:
// exactly `npm run codegen:check`, which regenerates every subgraph's types in memory and compares.
const ROOT = join(__dirname, '..', '..');

describe('generated resolver types', () => {
  it('subgraphs/<name>/generated/resolvers-types.ts are exactly what codegen gives from the SDL now (run npm run codegen and commit when this fails)', async () => {
    const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/codegen.ts', '--check'], {
      cwd: ROOT,
    });
    expect(stdout).toBe('resolver types are up to date.\n');
  }, 60_000);
});
