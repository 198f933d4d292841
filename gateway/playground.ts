import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readPlaygroundExamples } from './playground/examples';

/** The built playground (`npm run build:playground`), committed so the gateway needs no build step or dev dependency. */
const DIST = join(__dirname, 'playground', 'bundle');

/**
 * The page's own rules: scripts, styles, fonts and requests from the gateway's origin only (fonts and images are
 * inlined as data: URLs), so the playground works offline and can reach nothing else.
 */
export const PLAYGROUND_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The playground page: GraphiQL bundled with an "Act as" picker (filled from /dev/tokens in dev), a token field with
 * its expiry and each role's examples. No CDN and no external script.
 */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MHHS data gateway — GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/playground/playground.css">
</head>
<body>
<div id="root"></div>
<noscript>The playground needs JavaScript. The API itself is POST /graphql.</noscript>
<script src="/playground/playground.js"></script>
</body>
</html>
`;

/** Serves the page's script, stylesheet, licences and the examples of every role (`gateway/playground/examples/`). */
export function registerPlayground(app: FastifyInstance): void {
  const read = (name: string) => {
    const file = join(DIST, name);
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build:playground`);
    return readFileSync(file);
  };
  const files: Record<string, { type: string; body: Buffer }> = {
    'playground.js': { type: 'text/javascript; charset=utf-8', body: read('playground.js') },
    'playground.css': { type: 'text/css; charset=utf-8', body: read('playground.css') },
    'playground.js.LEGAL.txt': { type: 'text/plain; charset=utf-8', body: read('playground.js.LEGAL.txt') },
  };
  const examples = JSON.stringify({ examples: readPlaygroundExamples() });
  for (const [name, { type, body }] of Object.entries(files)) {
    app.get(`/playground/${name}`, async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }
  app.get('/playground/examples.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(examples),
  );
}
