import { build } from 'esbuild';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const ENTRY = join(ROOT, 'gateway', 'playground', 'ui', 'main.tsx');
/** Where the built playground is committed; the gateway serves these files and nothing else for the page. */
export const PLAYGROUND_DIST = 'gateway/playground/bundle';

/**
 * Bundles the playground (GraphiQL, React and our UI around them) into one script and one stylesheet, in memory.
 * The output depends only on the sources and the locked package versions, so a fresh build equals the committed one
 * unless something changed (the drift check compares them byte for byte).
 */
export async function buildPlaygroundAssets(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: [ENTRY],
    outfile: join(ROOT, PLAYGROUND_DIST, 'playground.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Licences of the bundled packages go to one file beside the bundle.
    legalComments: 'linked',
    // Fonts and images stay inside the stylesheet: nothing is fetched from anywhere but the gateway.
    loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [relative(ROOT, file.path).split('\\').join('/'), file.text]));
}
