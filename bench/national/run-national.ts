/**
 * The national bench (`npm run bench -- --suite national [--large] [--quick] [--rows …]`): for each dataset size the
 * rows ask for, seeds one settlement day into a throw-away PostgreSQL, starts the subgraphs and our gateway, runs the
 * rows of that size in order, stops everything; then writes docs/bench/national-scale.md. Everything started is
 * stopped and every temp dir removed, also on failure and on Ctrl-C.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../cleanup';
import { discoverRows } from './row-discovery';
import { parseNationalOptions, seededMpans } from './options';
import { seedNationalDataset } from './seed-dataset';
import { startNationalStack } from './national-stack';
import { renderNationalReport, type RowOutcome } from './national-report';
import type { NationalContext, NationalRow } from './row';

const ROOT = join(__dirname, '..', '..');
export const NATIONAL_REPORT_FILE = join('docs', 'bench', 'national-scale.md');

const log = (message: string) => console.log(message);

/** Runs the suite with the command-line flags `argv` (after `--suite national`) and writes the report. */
export async function runNationalBench(argv: readonly string[]): Promise<void> {
  const started = Date.now();
  const loadAverageAtStart = loadavg();
  const options = parseNationalOptions([...argv]);
  const cleanup = new Cleanup();
  cleanup.runOnExitSignal(() => console.error('\nstopping servers and PostgreSQL, removing temp dirs…'));
  const outcomes: RowOutcome[] = [];
  try {
    const all = await discoverRows();
    const unknown = options.rows?.filter((id) => !all.some((row) => row.id === id)) ?? [];
    if (unknown.length) throw new Error(`unknown row(s) ${unknown.join(', ')}: choose from ${all.map((r) => r.id).join(', ')}`);
    const chosen = all.filter((row) => !options.rows || options.rows.includes(row.id));
    const runnable = chosen.filter((row) => !row.large || options.large);
    for (const row of chosen.filter((r) => !runnable.includes(r))) outcomes.push({ row, skipped: 'runs only with `--large`', seconds: 0 });

    // Smallest dataset first: a broken row fails fast and cheaply.
    const sizes = [...new Set(runnable.map((row) => row.mpans))].sort((a, b) => a - b);
    log(
      `national bench: ${runnable.length} row(s) on ${sizes.length} dataset(s) of ${sizes.map((s) => seededMpans(s, options.quick)).join(', ')} MPANs`,
    );
    const tempDir = mkdtempSync(join(tmpdir(), 'mhhs-national-run-'));
    chmodSync(tempDir, 0o755);
    cleanup.add('remove temp dir', () => rmSync(tempDir, { recursive: true, force: true }));
    const logDir = mkdtempSync(join(tmpdir(), 'mhhs-national-logs-'));
    const dataDir = join(tempDir, 'keys');
    log(`server logs in ${logDir}`);

    for (const size of sizes) {
      const rows = runnable.filter((row) => row.mpans === size);
      outcomes.push(...(await runDataset(rows, seededMpans(size, options.quick), { tempDir, logDir, dataDir, cleanup, ...options })));
    }
  } finally {
    await cleanup.runAll();
  }
  const report = renderNationalReport({
    command: `npm run bench -- --suite national${argv.length ? ` ${argv.join(' ')}` : ''}`,
    startedAt: new Date(started).toISOString(),
    totalSeconds: (Date.now() - started) / 1000,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    quick: options.quick,
    large: options.large,
    outcomes: outcomes.sort((a, b) => a.row.mpans - b.row.mpans),
  });
  mkdirSync(join(ROOT, 'docs', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, NATIONAL_REPORT_FILE), report);
  log(`\nwrote ${NATIONAL_REPORT_FILE}`);
  log(report.slice(report.indexOf('## Rows')));
}

/** Seeds one dataset, starts the stack over it, runs its rows one after another, stops and removes it all. */
async function runDataset(
  rows: NationalRow[],
  mpanCount: number,
  options: { tempDir: string; logDir: string; dataDir: string; cleanup: Cleanup; large: boolean; quick: boolean },
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  log(`\n== ${mpanCount.toLocaleString('en-GB')} MPANs: seeding`);
  // This dataset's own steps, run when its rows are done; also a step of the run's, so Ctrl-C stops them too.
  const cleanup = new Cleanup();
  options.cleanup.add(`dataset of ${mpanCount} MPANs`, () => cleanup.runAll());
  try {
    const seeded = await seedNationalDataset(mpanCount, log);
    cleanup.add('stop PostgreSQL and remove it', () => seeded.dispose());
    log(`  ${seeded.dataset.description}`);
    const stackDir = mkdtempSync(join(options.tempDir, `stack-${mpanCount}-`));
    const stack = await startNationalStack({
      databaseUrl: seeded.database.url,
      dataDir: options.dataDir,
      logDir: options.logDir,
      tempDir: stackDir,
    });
    cleanup.add('stop the stack', () => stack.stop());
    const ctx: NationalContext = {
      dataset: seeded.dataset,
      gatewayUrl: stack.gatewayUrl,
      subgraphUrls: stack.subgraphUrls,
      databaseUrl: seeded.database.url,
      dataDir: options.dataDir,
      supergraphFile: stack.supergraphFile,
      logDir: options.logDir,
      token: stack.token,
      graphql: stack.graphql,
      onCleanup: (name, run) => cleanup.add(name, run),
      log: (message) => log(`  ${message}`),
      large: options.large,
      quick: options.quick,
    };
    for (const row of rows) {
      const rowStarted = Date.now();
      log(`-- ${row.id}: ${row.title}`);
      try {
        const result = await row.run(ctx);
        outcomes.push({ row, dataset: seeded.dataset, result, seconds: (Date.now() - rowStarted) / 1000 });
        log(`   ${result.value} ${result.unit} (${((Date.now() - rowStarted) / 1000).toFixed(1)} s)`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ row, dataset: seeded.dataset, error: message, seconds: (Date.now() - rowStarted) / 1000 });
        log(`   FAILED: ${message}`);
      }
    }
  } catch (error) {
    // The dataset or the stack did not come up: every row of it failed, for that reason.
    const message = error instanceof Error ? error.message : String(error);
    for (const row of rows.filter((r) => !outcomes.some((o) => o.row === r))) outcomes.push({ row, error: message, seconds: 0 });
    log(`   dataset of ${mpanCount} MPANs FAILED: ${message}`);
  } finally {
    await cleanup.runAll();
  }
  return outcomes;
}
