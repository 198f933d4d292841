import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The layout's dependency rule (README "Layout") is enforced by lint, so `npm test` fails on a forbidden import. This
// lints a few one-line sources as if they were files of each folder, with the project's own eslint.config.mjs.
const ROOT = join(__dirname, '..');

const LINT_TEXTS = `
const { ESLint } = await import('eslint');
const eslint = new ESLint({ cwd: process.cwd() });
const answers = [];
for (const { filePath, code } of JSON.parse(process.argv[1])) {
  const [result] = await eslint.lintText(code, { filePath });
  answers.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
}
console.log(JSON.stringify(answers));
`;

async function lintAs(cases: { filePath: string; code: string }[]): Promise<string[][]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', LINT_TEXTS, JSON.stringify(cases)], {
    cwd: ROOT,
  });
  return JSON.parse(stdout) as string[][];
}

const importing = (specifier: string) => `import * as imported from '${specifier}';\nexport const used = imported;\n`;

describe('the dependency rule, enforced by lint', () => {
  it('refuses forbidden imports and names the rule, and lets the allowed ones through', async () => {
    const cases = [
      { filePath: 'gateway/audit.ts', code: importing('../dev/data-dir') },
      { filePath: 'gateway/access/role-schema.ts', code: importing('../../subgraphs/kit/db') },
      { filePath: 'gateway/audit.ts', code: importing('../core/errors') },
      { filePath: 'core/mpan.ts', code: importing('../gateway/audit') },
      { filePath: 'subgraphs/registration/responsibilities.ts', code: importing('../../scripts/start') },
      { filePath: 'subgraphs/registration/responsibilities.ts', code: importing('../appointment/store') },
      { filePath: 'subgraphs/kit/db.ts', code: importing('../registration/store') },
      { filePath: 'gateway/audit.ts', code: importing('../core') },
      { filePath: 'core/mpan.ts', code: importing('./errors') },
      { filePath: 'subgraphs/registration/responsibilities.ts', code: importing('../kit/db') },
      { filePath: 'dev/data-dir.ts', code: importing('../subgraphs/kit/db') },
    ];
    expect(await lintAs(cases)).toEqual([
      [expect.stringContaining('gateway/ imports only core/')],
      [expect.stringContaining('gateway/ imports only core/')],
      [expect.stringContaining('import core only through core/index.ts')],
      [expect.stringContaining('core/ imports nothing of ours outside core/')],
      [expect.stringContaining('subgraphs/ import only core/ and subgraphs/kit/')],
      [expect.stringContaining('a subgraph imports no other subgraph')],
      [expect.stringContaining('subgraphs/kit/ is shared by every subgraph and imports none of them')],
      [],
      [],
      [],
      [],
    ]);
  }, 180_000);
});
