import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags';

// The gateway's Node flags (issue 17: the young generation measured in BENCHMARKS.md) are the ones it ships with:
// the image's CMD and compose's gateway command run it with each of them, as the bench's ours target does.
describe('gateway: Node flags', () => {
  const root = join(__dirname, '..', '..');
  it("are on the image's default command and on compose's gateway command", () => {
    const cmd = /^CMD \[(.*)\]$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
    const compose = /command: \[(node, [^\]]*serve-gateway\.js)\]/.exec(readFileSync(join(root, 'docker-compose.yml'), 'utf8'))?.[1] ?? '';
    expect(GATEWAY_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of GATEWAY_NODE_FLAGS) {
      expect(cmd).toContain(`"${flag}"`);
      expect(compose).toContain(flag);
    }
  });
});
