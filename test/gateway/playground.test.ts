import { startTestStack, TestStack } from '../support/test-stack';
import { DEMO_ACTORS } from '../../dev/demo-actors';
import { MARKET_ROLES } from '../../core';
import { startStack } from '../../dev/start-stack';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { testKeys } from '../support/test-keys';
import { testClock } from '../support/test-clock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYGROUND_CONTENT_SECURITY_POLICY } from '../../gateway/playground';
import { readPlaygroundExamples } from '../../gateway/playground/examples';
import { buildPlaygroundAssets, PLAYGROUND_DIST } from '../../dev/build-playground';

const ROOT = join(__dirname, '..', '..');

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

  it('serves the GraphiQL page from its own origin only: its script and stylesheet, and a policy that allows nothing else', async () => {
    const page = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.sort()).toEqual(['/playground/playground.css', '/playground/playground.js']);
    expect(page.headers.get('content-security-policy')).toBe(PLAYGROUND_CONTENT_SECURITY_POLICY);
    expect(PLAYGROUND_CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'; script-src 'self';.* connect-src 'self'/);
    const origin = new URL(stack.gatewayUrl).origin;
    for (const source of sources) {
      const asset = await fetch(origin + source);
      expect({ source, status: asset.status }).toEqual({ source, status: 200 });
      // The committed bundle is what the gateway serves, byte for byte.
      expect(
        Buffer.from(await asset.arrayBuffer()).equals(readFileSync(join(ROOT, PLAYGROUND_DIST, source.replace('/playground/', '')))),
      ).toBe(true);
    }
  });

  it('bundles GraphiQL with the "act as" picker that reads /dev/tokens, and no CDN', async () => {
    const script = await (await fetch(new URL(stack.gatewayUrl).origin + '/playground/playground.js')).text();
    // Booleans, not toContain: a failure must not print a 1.3 MB bundle.
    expect(['graphiql-container', '/dev/tokens', 'act-as', '/playground/examples.json'].filter((text) => !script.includes(text))).toEqual(
      [],
    );
    // Loading from a CDN would need its host in the bundle; the links it has (GraphiQL's logo, CodeMirror's docs) are
    // navigations a user chooses, and the browser test shows that no request leaves the gateway's origin.
    expect(script.match(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|googleapis/g)).toBeNull();
  });
});

describe('the committed playground bundle', () => {
  it('is exactly what npm run build:playground makes from the sources and the lock file now', async () => {
    const assets = await buildPlaygroundAssets();
    expect([...assets.keys()].sort()).toEqual([
      'gateway/playground/bundle/playground.css',
      'gateway/playground/bundle/playground.js',
      'gateway/playground/bundle/playground.js.LEGAL.txt',
    ]);
    for (const [path, content] of assets) {
      expect({ path, fresh: readFileSync(join(ROOT, path), 'utf8') === content }).toEqual({ path, fresh: true });
    }
  });
});

describe("each role's examples", () => {
  const examples = readPlaygroundExamples();

  it('offers every market role at least two examples, and no example for a role that does not exist', () => {
    for (const role of MARKET_ROLES)
      expect({ role, count: examples.filter((e) => e.role === role).length >= 2 }).toEqual({ role, count: true });
    expect(examples.filter((e) => !(MARKET_ROLES as readonly string[]).includes(e.role))).toEqual([]);
  });

  it('serves them to the page as JSON', async () => {
    const body = await (await fetch(new URL(stack.gatewayUrl).origin + '/playground/examples.json')).json();
    expect(body).toEqual({ examples: JSON.parse(JSON.stringify(examples)) });
  });

  it.each(examples.map((e) => [`${e.role}/${e.name}`, e] as const))(
    '%s succeeds for its role through the gateway, with data in every root field',
    async (_name, example) => {
      const actor = DEMO_ACTORS.find((a) => a.role === example.role)!;
      const { status, body } = await stack.query(example.query, example.variables, { role: actor.role, participant: actor.participant });
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      // An answer scoped away to null or [] is not a working example.
      for (const [field, value] of Object.entries(body.data as Record<string, unknown>)) {
        expect({ field, empty: value === null || (Array.isArray(value) && value.length === 0) }).toEqual({ field, empty: false });
      }
    },
  );
});

describe("the docs explorer shows each field's access rule", () => {
  const matrix = JSON.parse(readFileSync(join(ROOT, 'schema', 'access-matrix.json'), 'utf8')) as {
    fields: { field: string; decisions: Record<string, { allowed: boolean; principle: string | null; ownPartyOnly?: true }> }[];
  };
  const decisions = new Map(matrix.fields.map((f) => [f.field, f.decisions]));

  it.each(DEMO_ACTORS.map((a) => [a.role, a] as const))(
    'as %s, every field of its schema ends its description with the roles the reviewed matrix allows and the principle',
    async (_role, actor) => {
      const query = '{ __schema { types { name kind fields { name description } } } }';
      const { status, body } = await stack.query(query, undefined, { role: actor.role, participant: actor.participant });
      expect(status).toBe(200);
      let checked = 0;
      for (const type of body.data.__schema.types as { name: string; fields: { name: string; description: string | null }[] | null }[]) {
        for (const field of type.fields ?? []) {
          const coordinate = `${type.name}.${field.name}`;
          const decision = decisions.get(coordinate);
          if (!decision || type.name.startsWith('__')) continue;
          const allowed = Object.keys(decision)
            .filter((role) => decision[role].allowed)
            .sort();
          const principles = [
            ...new Set(
              Object.values(decision)
                .map((d) => d.principle)
                .filter((p): p is string => p !== null),
            ),
          ];
          const ownOnly = allowed.filter((role) => decision[role].ownPartyOnly);
          const own = ownOnly.length > 0 ? ` (${ownOnly.join(', ')}: own party only)` : '';
          const note = `Access: roles ${allowed.join(', ')}${own}${principles.length === 1 ? `; principle ${principles[0]}` : ''}.`;
          expect({ coordinate, note: field.description?.endsWith(note) }).toEqual({ coordinate, note: true });
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(20);
    },
  );

  it('names PRI-003b under BmUnit.leadParty for a role that may read it', async () => {
    const { body } = await stack.query('{ __type(name: "BmUnit") { fields { name description } } }', undefined, {
      role: 'SUPPLIER',
      participant: 'SUPA',
    });
    const leadParty = body.data.__type.fields.find((f: { name: string }) => f.name === 'leadParty');
    expect(leadParty.description).toMatch(
      /Access: roles CENTRAL_REGISTRATION_AGENT, SUPPLIER, VOLUME_ALLOCATION_SERVICE; principle PRI-003b\.$/,
    );
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
