/**
 * `npm run build`: compiles the production entry points to dist/ with tsc (tsconfig.build.json) and copies the files
 * they read at run time (SDL, migrations, the supergraph, the playground bundle and examples), so `node dist/...` runs
 * without tsx. Fails when the compiled code would need a package that a production install (`npm ci --omit=dev`)
 * leaves out.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
/** Folders whose non-TypeScript files the compiled code reads (see core/read-sdl.ts, subgraphs/kit/migrate.ts, gateway/playground.ts). */
const ASSET_ROOTS = ['schema', 'core', 'gateway', 'subgraphs'];
/** Sources of assets, not assets: the playground's UI is bundled into gateway/playground/bundle by build:playground. */
const NOT_ASSETS = [/\.tsx?$/, /^gateway\/playground\/ui\//, /(^|\/)README\.md$/, /(^|\/)tsconfig[^/]*\.json$/];

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });

let copied = 0;
for (const file of ASSET_ROOTS.flatMap((root) => filesUnder(join(ROOT, root)))) {
  const path = relative(ROOT, file);
  if (NOT_ASSETS.some((pattern) => pattern.test(path))) continue;
  cpSync(file, join(DIST, path));
  copied += 1;
}

const production = new Set(
  Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies),
);
const missing = new Set<string>();
for (const file of filesUnder(DIST).filter((path) => path.endsWith('.js'))) {
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    if (!production.has(name) && !builtinModules.includes(name) && !name.startsWith('node:'))
      missing.add(`${name} (${relative(ROOT, file)})`);
  }
}
if (missing.size > 0) {
  console.error(`build: the compiled code needs packages that are not production dependencies: ${[...missing].join(', ')}`);
  process.exit(1);
}
console.log(`build: compiled to ${relative(process.cwd(), DIST) || '.'}/ and copied ${copied} asset files`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? (entry === 'node_modules' ? [] : filesUnder(path)) : [path];
  });
}
