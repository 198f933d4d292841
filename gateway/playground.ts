import { EXAMPLE_QUERY, EXAMPLE_VARIABLES } from './example-query';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A small playground page served by the gateway itself: no CDN, no external script, so it works offline. It posts the
 * query with an optional bearer token and shows the JSON answer.
 */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MHHS data gateway — playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { padding: 12px 20px; background: #14324a; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header span { opacity: .8; font-size: 13px; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; padding: 12px 20px; }
  label { font-size: 12px; font-weight: 600; display: block; margin: 8px 0 4px; }
  textarea, input, select { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; font-size: 13px;
    border: 1px solid #c6ccd6; border-radius: 4px; padding: 8px; background: #fff; }
  #query { height: 420px; } #variables { height: 110px; }
  #result { height: 640px; overflow: auto; white-space: pre; background: #fff; border: 1px solid #c6ccd6;
    border-radius: 4px; padding: 8px; font-family: ui-monospace, monospace; font-size: 13px; margin: 0; }
  button { margin-top: 10px; padding: 8px 18px; border: 0; border-radius: 4px; background: #1f6feb; color: #fff;
    font-size: 14px; cursor: pointer; }
  #status { margin-left: 10px; font-size: 13px; }
</style>
</head>
<body>
<header><h1>MHHS data gateway</h1><span>POST /graphql · one endpoint for registration, metering data, appointments and settlement</span></header>
<main>
  <section>
    <label for="query">Query</label>
    <textarea id="query" spellcheck="false">${escapeHtml(EXAMPLE_QUERY)}</textarea>
    <label for="variables">Variables (JSON)</label>
    <textarea id="variables" spellcheck="false">${escapeHtml(JSON.stringify(EXAMPLE_VARIABLES, null, 2))}</textarea>
    <div id="act-as-row" hidden>
      <label for="act-as">Act as (dev tokens: each role sees only its own schema and rows)</label>
      <select id="act-as"></select>
    </div>
    <label for="token">Bearer token</label>
    <input id="token" placeholder="eyJ… (npm run --silent token -- --role ROLE --participant MPID)" autocomplete="off">
    <button id="run" type="button">Run ▶</button><span id="status" role="status"></span>
  </section>
  <section>
    <label for="result">Response</label>
    <pre id="result" aria-live="polite"></pre>
  </section>
</main>
<script>
  const $ = (id) => document.getElementById(id);
  async function run() {
    let variables = {};
    try { variables = $('variables').value.trim() ? JSON.parse($('variables').value) : {}; }
    catch (e) { $('status').textContent = 'Variables are not valid JSON: ' + e.message; return; }
    const headers = { 'content-type': 'application/json' };
    if ($('token').value.trim()) headers.authorization = 'Bearer ' + $('token').value.trim();
    $('status').textContent = 'Running…';
    const started = performance.now();
    try {
      const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: $('query').value, variables }) });
      const text = await response.text();
      try { $('result').textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { $('result').textContent = text; }
      $('status').textContent = 'HTTP ' + response.status + ' in ' + Math.round(performance.now() - started) + ' ms';
    } catch (e) { $('status').textContent = 'Request failed: ' + e.message; }
  }
  $('run').addEventListener('click', run);
  // In dev the gateway offers a token per demo role; elsewhere this endpoint does not exist and the list stays hidden.
  fetch('/dev/tokens').then((r) => (r.ok ? r.json() : null)).then((body) => {
    if (!body) return;
    const select = $('act-as');
    for (const t of body.tokens) {
      const option = document.createElement('option');
      option.value = t.token;
      option.textContent = t.role + ' — ' + t.participant + ' (' + t.name + ')';
      select.appendChild(option);
    }
    $('act-as-row').hidden = false;
    $('token').value = select.value;
    select.addEventListener('change', () => { $('token').value = select.value; });
  }).catch(() => undefined);
  document.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run(); });
</script>
</body>
</html>
`;
