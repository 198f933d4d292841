import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitSuite } from '../../bench/options';
import { judge, type NationalRow } from '../../bench/national/row';
import { discoverRows } from '../../bench/national/row-discovery';
import { parseNationalOptions, seededMpans } from '../../bench/national/options';
import { renderNationalReport } from '../../bench/national/national-report';

const target = { measure: 'MPANs/s', threshold: 20_000, unit: 'MPANs/s', better: 'higher' as const };

describe('national bench harness', () => {
  it('picks the suite from --suite and leaves the other flags to it; the gateway suite stays the default', () => {
    expect(splitSuite(['--quick'])).toEqual({ suite: 'gateway', rest: ['--quick'] });
    expect(splitSuite(['--suite', 'national', '--large'])).toEqual({ suite: 'national', rest: ['--large'] });
    expect(splitSuite(['--large', '--suite=national'])).toEqual({ suite: 'national', rest: ['--large'] });
    expect(() => splitSuite(['--suite', 'nation'])).toThrow(/--suite must be one of gateway, national, got "nation"/);
  });

  it('parses its own flags and refuses others with its usage', () => {
    expect(parseNationalOptions(['--large', '--rows', 'a, b'])).toEqual({ large: true, quick: false, rows: ['a', 'b'] });
    expect(() => parseNationalOptions(['--mpans', '5'])).toThrow(/usage: npm run bench -- --suite national/);
    expect(seededMpans(100_000, true)).toBe(1_000);
    expect(seededMpans(10_000, true)).toBe(200);
    expect(seededMpans(10_000, false)).toBe(10_000);
  });

  it('judges a value against its target in the direction that is better', () => {
    expect(judge(target, 20_000)).toBe('MET');
    expect(judge(target, 19_999.9)).toBe('NOT MET');
    expect(judge({ ...target, threshold: 150, better: 'lower' }, 151)).toBe('NOT MET');
    expect(judge({ ...target, threshold: 150, better: 'lower' }, 150)).toBe('MET');
    expect(judge(undefined, 1)).toBe('—');
  });

  it('finds rows in every *-rows.ts file of the folder, in file-name order, and refuses a duplicate id', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'national-rows-'));
    const rowFile = (ids: string[]) =>
      `exports.rows = ${JSON.stringify(ids.map((id) => ({ id, title: id, mpans: 1 })))}.map((r) => ({ ...r, run: async () => ({ value: 1, unit: 'x', detail: '' }) }));`;
    writeFileSync(join(folder, 'b-rows.ts'), rowFile(['b1']));
    writeFileSync(join(folder, 'a-rows.ts'), rowFile(['a1', 'a2']));
    writeFileSync(join(folder, 'helper.ts'), 'throw new Error("not a row file");');
    expect((await discoverRows(folder)).map((row) => row.id)).toEqual(['a1', 'a2', 'b1']);
    writeFileSync(join(folder, 'c-rows.ts'), rowFile(['a1']));
    await expect(discoverRows(folder)).rejects.toThrow('two national bench rows have the id a1');
  });

  it('the repository rows include the aggregation at 10,000, 100,000 and (large) 1,000,000 MPANs', async () => {
    const rows = await discoverRows();
    const aggregation = rows.filter((row) => row.id.startsWith('aggregate-'));
    expect(aggregation.map((row) => [row.id, row.mpans, row.large ?? false, row.target?.threshold])).toEqual([
      ['aggregate-methods-10k', 10_000, false, undefined],
      ['aggregate-10k', 10_000, false, 20_000],
      ['aggregate-100k', 100_000, false, 20_000],
      ['aggregate-1m', 1_000_000, true, 20_000],
    ]);
  });

  it('reports every row with its value, target and verdict, and a skipped large row without a verdict', () => {
    const row = (id: string, large = false): NationalRow => ({
      id,
      title: id,
      mpans: 10,
      large,
      target,
      run: async () => ({ value: 0, unit: '', detail: '' }),
    });
    const dataset = {
      mpanCount: 10,
      settlementDate: '2026-03-30',
      intervalCount: 480,
      seedSeconds: 1,
      description: 'ten MPANs',
      sampleMpanCores: [],
    };
    const report = renderNationalReport({
      command: 'npm run bench -- --suite national',
      startedAt: '2026-12-03T10:00:00.000Z',
      totalSeconds: 60,
      loadAverageAtStart: [1.5, 1, 1],
      loadAverageAtEnd: [1, 1, 1],
      quick: false,
      large: false,
      outcomes: [
        { row: row('fast'), dataset, result: { value: 25_000, unit: 'MPANs/s', detail: 'quick' }, seconds: 1 },
        { row: row('slow'), dataset, result: { value: 500, unit: 'MPANs/s', detail: 'slow' }, seconds: 1 },
        { row: row('broken'), dataset, error: 'boom', seconds: 1 },
        { row: row('huge', true), skipped: 'runs only with `--large`', seconds: 0 },
      ],
    });
    expect(report).toContain('| fast | fast | 10 | 25,000 MPANs/s | ≥ 20,000 MPANs/s | **MET** | quick |');
    expect(report).toContain('| slow | slow | 10 | 500 MPANs/s | ≥ 20,000 MPANs/s | **NOT MET** | slow |');
    expect(report).toContain('| broken | broken | 10 | failed | ≥ 20,000 MPANs/s | **NOT MET** | failed: boom |');
    expect(report).toContain('| huge | huge | 10 | skipped | ≥ 20,000 MPANs/s | **—** | runs only with `--large` |');
    expect(report).toContain('- ten MPANs');
    expect(report).toContain('other work was running on this shared machine');
  });
});
