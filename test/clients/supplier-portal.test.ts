import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, TestStack } from '../support/test-stack';
import { launchChromium } from '../support/browser';
import { freePort } from '../../dev/free-port';
import type { Actor } from '../support/test-keys';
import { addDecimals } from '../../clients/supplier-portal/src/decimal';

/**
 * The supplier portal (clients/supplier-portal) served by Vite's dev server, as a developer runs it, on its own origin,
 * calling the whole stack through CORS as the demo supplier SUPA, in headless Chromium. What it shows is checked
 * against what the API answers the same supplier.
 */
const ROOT = join(__dirname, '..', '..');
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MPAN = '1200000000420';

let stack: TestStack;
let browser: Browser;
let vite: ChildProcess;
let portalOrigin: string;
let viteLog = '';

async function startVite(port: number, gatewayUrl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'clients/supplier-portal', '--port', String(port), '--strictPort'],
    {
      cwd: ROOT,
      env: { ...process.env, VITE_GATEWAY_URL: gatewayUrl, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (chunk) => (viteLog += chunk));
  child.stderr.on('data', (chunk) => (viteLog += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite exited with ${child.exitCode}:\n${viteLog}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`vite did not answer within 30 s:\n${viteLog}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  const port = await freePort();
  portalOrigin = `http://127.0.0.1:${port}`;
  [stack, browser] = await Promise.all([startTestStack(undefined, { corsOrigins: [portalOrigin] }), launchChromium()]);
  vite = await startVite(port, stack.gatewayUrl);
}, 120_000);
/** Stops the dev server and waits for it, so no pipe or child outlives the test file. */
async function stopVite(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await closed;
  clearTimeout(timer);
}

afterAll(async () => {
  await stopVite(vite);
  await browser?.close();
  await stack?.close();
});

/** The total of decimal strings with three places at most, in thousandths: the test's own exact arithmetic. */
const thousandths = (values: string[]) => values.reduce((sum, value) => sum + Math.round(Number(value) * 1000), 0);

async function openPortal(query: string): Promise<{ page: Page; offOrigin: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const gatewayOrigin = new URL(stack.gatewayUrl).origin;
  const offOrigin: string[] = [];
  await context.route('**/*', (route) => {
    const origin = new URL(route.request().url()).origin;
    if (origin === portalOrigin || origin === gatewayOrigin) return route.continue();
    offOrigin.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  await page.goto(`${portalOrigin}/${query}`);
  return { page, offOrigin };
}

/** The bars once the chart for `periods` settlement periods is drawn. */
async function bars(page: Page, periods: number) {
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('#consumption-chart rect[data-period]').length === count && document.querySelector('#consumption-summary'),
    periods,
    { timeout: 30_000 },
  );
  return page.$$eval('#consumption-chart rect[data-period]', (rects) =>
    rects.map((rect) => ({
      period: Number(rect.getAttribute('data-period')),
      localStart: rect.getAttribute('data-local-start'),
      value: rect.getAttribute('data-value'),
    })),
  );
}

/** The API's own periods of SUPA's MPAN in [from, to): the oracle the chart is compared with. */
async function apiPeriods(from: string, to: string) {
  const { body } = await stack.query(
    `{ meteringPoint(mpanCore: "${MPAN}") { consumption(from: "${from}", to: "${to}", first: 200) { edges { node { value settlementPeriod { settlementPeriod localStartTime } } } } } }`,
    undefined,
    SUPA,
  );
  return body.data.meteringPoint.consumption.edges.map(
    (e: { node: { value: string; settlementPeriod: { settlementPeriod: number; localStartTime: string } } }) => ({
      period: e.node.settlementPeriod.settlementPeriod,
      localStart: e.node.settlementPeriod.localStartTime,
      value: e.node.value,
    }),
  ) as { period: number; localStart: string; value: string }[];
}

describe('the supplier portal in a browser, on its own origin', () => {
  it('lists exactly the metering points the gateway gives SUPA', async () => {
    const { page, offOrigin } = await openPortal('');
    await page.waitForFunction(() => document.querySelectorAll('#mpan option').length > 0, undefined, { timeout: 30_000 });
    const offered = await page.$$eval('#mpan option', (options) => options.map((option) => (option as HTMLOptionElement).value));
    const { body } = await stack.query('{ meteringPointPage(first: 1000) { nodes { mpanCore } } }', undefined, SUPA);
    expect(offered).toEqual(body.data.meteringPointPage.nodes.map((n: { mpanCore: string }) => n.mpanCore));
    expect(offered.length).toBeGreaterThan(1);
    expect(offOrigin).toEqual([]);
    await page.context().close();
  });

  it("draws the long clock-change day as 50 settlement periods in local time, 01:00 twice, each value exactly the API's", async () => {
    const { page, offOrigin } = await openPortal(`?mpan=${MPAN}&date=2026-10-25`);
    const drawn = await bars(page, 50);
    const api = await apiPeriods('2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z');
    expect(drawn).toEqual(api);
    expect(drawn.map((bar) => bar.period)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(drawn.filter((bar) => bar.localStart!.slice(11, 16) === '01:00').map((bar) => bar.localStart)).toEqual([
      '2026-10-25T01:00:00+01:00',
      '2026-10-25T01:00:00+00:00',
    ]);
    const total = await page.textContent('#total');
    expect(Math.round(Number(total) * 1000)).toBe(thousandths(api.map((bar) => bar.value)));
    expect(total).toMatch(/^\d+\.\d{3}$/);
    expect(offOrigin).toEqual([]);
    await page.context().close();
  });

  it('draws the short clock-change day as 46 periods when the date changes', async () => {
    const { page } = await openPortal(`?mpan=${MPAN}&date=2026-10-25`);
    await bars(page, 50);
    await page.fill('#date', '2026-03-29');
    const drawn = await bars(page, 46);
    expect(drawn.map((bar) => bar.period)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    // Local 01:00 does not exist that day: period 3 starts at 02:00 BST.
    expect(drawn[2].localStart).toBe('2026-03-29T02:00:00+01:00');
    await page.context().close();
  });

  it('draws a range of settlement days, 48 + 50 + 48 periods numbered within each day, with the exact total of the range', async () => {
    const { page, offOrigin } = await openPortal(`?mpan=${MPAN}&date=2026-10-24`);
    await bars(page, 48);
    await page.fill('#through', '2026-10-26');
    const drawn = await bars(page, 146);
    // The range's UTC bounds: 2026-10-24 starts at 23:00Z the day before (BST), 2026-10-26 ends at midnight UTC (GMT).
    const api = await apiPeriods('2026-10-23T23:00:00Z', '2026-10-27T00:00:00Z');
    expect(drawn).toEqual(api);
    const numbering = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
    expect(drawn.map((bar) => bar.period)).toEqual([...numbering(48), ...numbering(50), ...numbering(48)]);
    expect(await page.textContent('#consumption-summary')).toContain('146 of 146 settlement periods over 3 settlement days');
    expect(Math.round(Number(await page.textContent('#total')) * 1000)).toBe(thousandths(api.map((bar) => bar.value)));
    expect(offOrigin).toEqual([]);
    await page.context().close();
  });

  it("shows the MPAN's appointments with the status the API gives, and SUPA's settlement volumes and exception counts", async () => {
    const { page } = await openPortal(`?mpan=${MPAN}&date=2026-10-25`);
    await page.waitForFunction(
      () => document.querySelectorAll('#appointments tbody tr').length > 0 && document.querySelector('.run .run-total'),
      undefined,
      { timeout: 30_000 },
    );
    const statuses = await page.$$eval('#appointments tbody tr', (rows) => rows.map((row) => row.getAttribute('data-status')));
    const { body } = await stack.query(
      `{ meteringPoint(mpanCore: "${MPAN}") { appointmentHistory { status } } settlementRuns(settlementDate: "2026-10-25") { id aggregatedVolumes { volume } exceptionSummary { exceptionType count } } }`,
      undefined,
      SUPA,
    );
    expect(statuses).toEqual(body.data.meteringPoint.appointmentHistory.map((a: { status: string }) => a.status));
    const [run] = body.data.settlementRuns;
    const shown = await page.textContent(`[data-run="${run.id}"] .run-total`);
    expect(Math.round(Number(shown) * 1000)).toBe(thousandths(run.aggregatedVolumes.map((v: { volume: string }) => v.volume)));
    const text = await page.textContent(`[data-run="${run.id}"]`);
    for (const { exceptionType, count } of run.exceptionSummary) expect(text).toContain(`${exceptionType} ${count}`);
    await page.context().close();
  });
});

describe("the portal's typed client", () => {
  it('is generated from the committed supplier role schema and is up to date (npm run codegen:portal -- --check)', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', 'codegen.ts', '--check'],
      {
        cwd: join(ROOT, 'clients', 'supplier-portal'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
  });

  it('keeps Decimal a string in the generated types', () => {
    const generated = readFileSync(join(ROOT, 'clients', 'supplier-portal', 'src', 'gql', 'graphql.ts'), 'utf8');
    // Scalars are inlined into each operation's type: a Decimal (value, volume) and a DateTime are strings, and no
    // field is left `any` or `unknown`, which is what an unmapped scalar becomes (strictScalars refuses that outright).
    expect(generated).toMatch(/export type ConsumptionQuery = .*utcStart: string, value: string/);
    expect(generated).toMatch(/export type SettlementVolumesQuery = .*volume: string/);
    const resultTypes = generated.split('\n').filter((line) => /^export type \w+Query = /.test(line));
    expect(resultTypes).toHaveLength(5);
    expect(resultTypes.filter((line) => /\b(any|unknown)\b/.test(line))).toEqual([]);
  });

  it('adds decimal strings exactly, where floats would not', () => {
    expect(addDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(addDecimals(['0.205', '0.216', '1'])).toBe('1.421');
    expect(addDecimals(['-0.5', '0.25'])).toBe('-0.25');
    expect(addDecimals([])).toBe('0');
    expect(() => addDecimals(['1e3'])).toThrow('not a decimal: 1e3');
  });
});
