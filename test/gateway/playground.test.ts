import { startTestStack, TestStack } from '../support/test-stack';
import { DEMO_ACTORS } from '../../dev/demo-actors';
import { MARKET_ROLES } from '../../core';
import { startStack } from '../../dev/start-stack';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { testKeys } from '../support/test-keys';
import { testClock } from '../support/test-clock';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the playground knows about roles', () => {
  it("offers, in dev, one working token per market role so an integrator can see each role's view", async () => {
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/dev/tokens'));
    expect(response.status).toBe(200);
    const { tokens } = (await response.json()) as { tokens: { role: string; participant: string; token: string }[] };
    expect(tokens.map((t) => t.role)).toEqual([...MARKET_ROLES]);
    expect(tokens.map((t) => t.participant)).toEqual(DEMO_ACTORS.map((a) => a.participant));
    for (const { role, token } of tokens) {
      // Each token acts in its own role: introspection shows that role's schema, e.g. BscParty only where CRA data is allowed.
      const { status, body } = await stack.post({ query: '{ __type(name: "BscParty") { name } }' }, { authorization: `Bearer ${token}` });
      expect({ role, status }).toEqual({ role, status: 200 });
      const seesCra = ['SUPPLIER', 'VOLUME_ALLOCATION_SERVICE', 'CENTRAL_REGISTRATION_AGENT'].includes(role);
      expect({ role, type: body.data.__type }).toEqual({ role, type: seesCra ? { name: 'BscParty' } : null });
    }
  });

  it('serves a page with an "act as" list filled from /dev/tokens and no external script', async () => {
    const html = await (await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('id="act-as"');
    expect(html).toContain("fetch('/dev/tokens')");
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});

describe('outside dev', () => {
  it('has no /dev/tokens when real token keys are configured (no dev keys to mint with)', async () => {
    const keys = await testKeys();
    const production = await startStack({
      databaseUrl: stack.database.url,
      supergraphSdl: readCommittedSupergraph(),
      gatewayPort: 0,
      security: { ...keys.security, devTokens: undefined },
      clock: testClock(),
      audit: () => undefined,
    });
    try {
      expect((await fetch(production.gatewayUrl.replace('/graphql', '/dev/tokens'))).status).toBe(404);
    } finally {
      await production.stop();
    }
  });
});
