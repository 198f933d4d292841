import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestStack, TestStack } from '../support/test-stack';
import { launchChromium } from '../support/browser';
import { readPlaygroundExamples } from '../../gateway/playground/examples';
import { DEMO_ACTORS } from '../../dev/demo-actors';

/** The playground in headless Chromium, against the whole stack, with every request that leaves the gateway's origin refused. */
let stack: TestStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  origin = new URL(stack.gatewayUrl).origin;
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send anywhere but the gateway; each was failed. */
  leftOrigin: string[];
  pageErrors: string[];
}

/** A fresh browser context (no storage) that fails every request to another origin, as on a machine with no network. */
async function openPlayground(options: { devTokens?: boolean } = {}): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const leftOrigin: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    leftOrigin.push(url);
    return route.abort('internetdisconnected');
  });
  if (options.devTokens === false) {
    // What a production gateway (real token keys) answers: no dev tokens to offer.
    await context.route(`${origin}/dev/tokens`, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{}' }));
  }
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/graphql`);
  await page.waitForSelector('.graphiql-container');
  return { context, page, leftOrigin, pageErrors };
}

async function actAs(page: Page, role: string): Promise<void> {
  const value = await page.$eval(
    '#act-as',
    (select, wanted) => [...(select as HTMLSelectElement).options].find((o) => o.dataset.role === wanted)?.value,
    role,
  );
  expect(value).toBeTruthy();
  await page.selectOption('#act-as', value!);
  await page.waitForFunction((wanted) => document.querySelector('#token-facts')?.textContent?.includes(` ${wanted} `), role);
}

/** What the response editor shows, parsed, once an answer different from `previous` has arrived. */
async function responseAfterRun(page: Page, previous: string): Promise<{ text: string; body: any }> {
  await page.click('.graphiql-execute-button');
  const handle = await page.waitForFunction((before) => {
    const editor = (document.querySelector('.result-window .CodeMirror') as unknown as { CodeMirror: { getValue(): string } } | null)
      ?.CodeMirror;
    const text = editor?.getValue() ?? '';
    return text.trim() !== '' && text !== before ? text : null;
  }, previous);
  const text = (await handle.jsonValue()) as string;
  return { text, body: JSON.parse(text) };
}

/** The type names the docs explorer lists under "All Schema Types". */
async function explorerTypeNames(page: Page): Promise<string[]> {
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name');
  const names = await page.$$eval('.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name', (links) =>
    links.map((link) => link.textContent ?? ''),
  );
  await page.click('[aria-label="Hide Documentation Explorer"]');
  return names;
}

describe('the playground in a browser with no network', () => {
  it("runs every example of every role from the Examples panel, each answered with data and no error, and sends nothing off the gateway's origin", async () => {
    const session = await openPlayground();
    try {
      const { page } = session;
      await page.click('[aria-label="Show Examples"]');
      let previous = '';
      const outcomes: { example: string; errors: unknown; data: boolean }[] = [];
      for (const actor of DEMO_ACTORS) {
        await actAs(page, actor.role);
        const offered = await page.$$eval('[data-example]', (buttons) => buttons.map((button) => button.getAttribute('data-example')));
        const expected = readPlaygroundExamples()
          .filter((e) => e.role === actor.role)
          .map((e) => `${e.role}/${e.name}`);
        expect({ role: actor.role, offered }).toEqual({ role: actor.role, offered: expected });
        for (const example of expected) {
          await page.click(`[data-example="${example}"]`);
          const { text, body } = await responseAfterRun(page, previous);
          previous = text;
          outcomes.push({ example, errors: body.errors, data: body.data !== null && typeof body.data === 'object' });
        }
      }
      expect(outcomes).toEqual(outcomes.map(({ example }) => ({ example, errors: undefined, data: true })));
      expect(outcomes).toHaveLength(readPlaygroundExamples().length);
      expect(session.leftOrigin).toEqual([]);
      expect(session.pageErrors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it("shows in the docs explorer only the acting role's types: the MDS has no BSC party, the CRA has", async () => {
    const session = await openPlayground();
    try {
      const { page } = session;
      await actAs(page, 'MARKET_WIDE_DATA_SERVICE');
      const mds = await explorerTypeNames(page);
      await actAs(page, 'CENTRAL_REGISTRATION_AGENT');
      const cra = await explorerTypeNames(page);
      expect({ mds: mds.includes('BmUnit'), cra: cra.includes('BmUnit') }).toEqual({ mds: true, cra: true });
      expect({ mds: mds.includes('BscParty'), cra: cra.includes('BscParty') }).toEqual({ mds: false, cra: true });
      // The CRA has no consumption at all; the MDS aggregates it.
      expect({ mds: mds.includes('ConsumptionInterval'), cra: cra.includes('ConsumptionInterval') }).toEqual({ mds: true, cra: false });
      expect(session.leftOrigin).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it("has GraphiQL's prettify, headers editor (for x-acting-role) and history of what ran", async () => {
    const session = await openPlayground();
    try {
      const { page } = session;
      await actAs(page, 'SUPPLIER');
      await page.click('[aria-label="Show Examples"]');
      await page.click('[data-example="SUPPLIER/my-metering-points"]');
      await responseAfterRun(page, '');
      expect(await page.$('[aria-label="Prettify query (Shift-Ctrl-P)"]')).not.toBeNull();
      await page.click('button:text-is("Headers")');
      expect(await page.$('.graphiql-editor-tool .graphiql-editor:not(.hidden)')).not.toBeNull();
      await page.click('[aria-label="Show History"]');
      await page.waitForFunction(() => document.querySelector('.graphiql-history')?.textContent?.includes('MyMeteringPoints'));
    } finally {
      await session.context.close();
    }
  });

  it("shows a field's access rule in the docs explorer", async () => {
    const session = await openPlayground();
    try {
      const { page } = session;
      await actAs(page, 'SUPPLIER');
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.click('.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name >> text=Query');
      await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer-content')?.textContent?.includes('Access: roles'));
      const text = await page.textContent('.graphiql-doc-explorer-content');
      expect(text).toMatch(/Access: roles [A-Z_, ]*SUPPLIER/);
    } finally {
      await session.context.close();
    }
  });

  it('without dev tokens, takes a pasted token, shows its expiry, and runs with it', async () => {
    const session = await openPlayground({ devTokens: false });
    try {
      const { page } = session;
      expect(await page.$('#act-as')).toBeNull();
      expect(await page.textContent('#token-facts')).toBe('no token');
      await page.fill('#token', await stack.token({ role: 'DISTRIBUTOR', participant: 'LOND' }, '30m'));
      await page.waitForFunction(() =>
        /LOND · DISTRIBUTOR · expires at \d\d:\d\d UTC \(in (29|30) min\)/.test(document.querySelector('#token-facts')?.textContent ?? ''),
      );
      await page.click('[aria-label="Show Examples"]');
      await page.click('[data-example="DISTRIBUTOR/distributors"]');
      const { body } = await responseAfterRun(page, '');
      expect(body.errors).toBeUndefined();
      expect(body.data.distributors.map((d: { id: string }) => d.id)).toContain('12');
      expect(session.leftOrigin).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('acts in the role x-acting-role names under Headers when the token holds several', async () => {
    const session = await openPlayground({ devTokens: false });
    try {
      const { page } = session;
      await page.fill('#token', await stack.token({ role: 'SUPPLIER', participant: 'SUPA', roles: ['SUPPLIER', 'DISTRIBUTOR'] }));
      await page.waitForFunction(() => document.querySelector('#token-facts')?.textContent?.includes('several roles'));
      await page.click('[aria-label="Show Examples"]');
      await page.click('[data-example="SUPPLIER/my-metering-points"]');
      const refused = await responseAfterRun(page, '');
      expect(refused.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
      await page.click('button:text-is("Headers")');
      await page.evaluate(() => {
        const editors = [...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')].filter(
          (e) => !e.classList.contains('hidden'),
        );
        (editors[0].querySelector('.CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(
          '{"x-acting-role": "SUPPLIER"}',
        );
      });
      const answered = await responseAfterRun(page, refused.text);
      expect(answered.body.errors).toBeUndefined();
      expect(answered.body.data.meteringPointPage.nodes.length).toBeGreaterThan(0);
    } finally {
      await session.context.close();
    }
  });

  it('says so when the token has expired', async () => {
    const session = await openPlayground({ devTokens: false });
    try {
      const { page } = session;
      // The page only reads the claims to show them (the gateway verifies), so an expired token needs no signature here.
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const expired = `${encode({ alg: 'EdDSA' })}.${encode({ sub: 'SUPA', roles: ['SUPPLIER'], exp: Math.floor(Date.now() / 1000) - 300 })}.signature`;
      await page.fill('#token', expired);
      await page.waitForSelector('#token-facts.mhhs-expired');
      expect(await page.textContent('#token-facts')).toMatch(/^SUPA · SUPPLIER · expired at \d\d:\d\d UTC/);
    } finally {
      await session.context.close();
    }
  });
});
