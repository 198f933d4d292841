/**
 * `npm run build:playground` bundles the playground into gateway/playground/bundle (committed, so a clone needs no build
 * step and the Docker image no dev dependencies); `-- --check` fails when the committed bundle is not what the
 * sources and the lock file give now.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildPlaygroundAssets, PLAYGROUND_DIST } from '../dev/build-playground';

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  const assets = await buildPlaygroundAssets();
  const distDirectory = join(ROOT, PLAYGROUND_DIST);
  const stale = existsSync(distDirectory)
    ? readdirSync(distDirectory)
        .map((name) => `${PLAYGROUND_DIST}/${name}`)
        .filter((path) => !assets.has(path))
    : [];
  if (process.argv.includes('--check')) {
    const problems = [
      ...[...assets].flatMap(([path, content]) => {
        const file = join(ROOT, path);
        if (!existsSync(file)) return [`${path} is missing`];
        return readFileSync(file, 'utf8') === content ? [] : [`${path} differs from a fresh build`];
      }),
      ...stale.map((path) => `${path} is not part of the build`),
    ];
    if (problems.length > 0) {
      console.error(`${problems.map((problem) => `- ${problem}`).join('\n')}\nrun npm run build:playground and commit the result.`);
      process.exit(1);
    }
    console.log(`${assets.size} playground files are up to date.`);
    return;
  }
  for (const path of stale) rmSync(join(ROOT, path));
  for (const [path, content] of assets) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
  }
  console.log(`wrote ${[...assets.keys()].join(', ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
