/**
 * `npm run access-artefacts` regenerates the access artefacts the security group reviews (schema/roles/<ROLE>.graphql and
 * schema/access-matrix.{md,csv,json}) from the committed supergraph, removing the schemas of roles that no longer
 * exist; `npm run access-artefacts -- --check` fails, listing them, when the committed artefacts have drifted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readCommittedSupergraph } from '../dev/compose-supergraph';
import { buildAccessArtefacts, ROLE_SCHEMA_DIRECTORY } from '../dev/access-artefacts';

const ROOT = join(__dirname, '..');

const artefacts = buildAccessArtefacts(readCommittedSupergraph());
const roleDirectory = join(ROOT, ROLE_SCHEMA_DIRECTORY);
// A role schema left behind by a role that was removed would still look authoritative to a reviewer.
const stale = existsSync(roleDirectory)
  ? readdirSync(roleDirectory)
      .filter((name) => name.endsWith('.graphql'))
      .map((name) => `${ROLE_SCHEMA_DIRECTORY}/${name}`)
      .filter((path) => !artefacts.has(path))
  : [];

if (process.argv.includes('--check')) {
  const problems = [
    ...[...artefacts].flatMap(([path, content]) => {
      const file = join(ROOT, path);
      if (!existsSync(file)) return [`${path} is missing`];
      return readFileSync(file, 'utf8') === content ? [] : [`${path} has drifted from the @access rules`];
    }),
    ...stale.map((path) => `${path} belongs to no market role`),
  ];
  if (problems.length > 0) {
    console.error(`${problems.map((problem) => `- ${problem}`).join('\n')}\nrun npm run access-artefacts and commit the result.`);
    process.exit(1);
  }
  console.log(`${artefacts.size} access artefacts are up to date.`);
} else {
  for (const [path, content] of artefacts) {
    const file = join(ROOT, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  for (const path of stale) rmSync(join(ROOT, path));
  console.log(`wrote ${artefacts.size} access artefacts${stale.length > 0 ? `, removed ${stale.join(', ')}` : ''}`);
}
