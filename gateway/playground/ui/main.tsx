/**
 * The playground: GraphiQL from npm (docs explorer, autocompletion, history, prettify, variables and headers editors)
 * bundled by `npm run build:playground` and served by the gateway itself, so it works offline. Around it: who the
 * requests act as (an "Act as" picker while the gateway offers dev tokens, a pasted token otherwise), when that token
 * expires, and each role's example operations.
 */
import { createContext, StrictMode, useContext, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import 'graphiql/style.css';
import './playground.css';

interface DevToken {
  role: string;
  participant: string;
  name: string;
  token: string;
}

interface Example {
  role: string;
  name: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
}

interface TokenFacts {
  participant: string;
  roles: string[];
  /** Seconds since the epoch, from `exp`. */
  expiresAt: number | null;
}

const TOKEN_KEY = 'mhhs-playground:token';
const DEFAULT_QUERY = `# MHHS data gateway: one GraphQL endpoint for every market role.
#
# "Ex" (left) lists example operations that work for the role you act as; the book icon opens the docs of that
# role's own schema, with the roles and principle behind each field. Ctrl-Enter runs the operation.
# A token that holds several roles needs {"x-acting-role": "ROLE"} under Headers.
`;

/** Reads a JWT's claims without verifying it: only to show who it is for and when it expires (the gateway verifies). */
function readToken(token: string): TokenFacts | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return {
      participant: typeof claims.sub === 'string' ? claims.sub : '?',
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
    };
  } catch {
    return null;
  }
}

function describeExpiry(expiresAt: number | null, now: number): { text: string; expired: boolean } {
  if (expiresAt === null) return { text: 'no expiry', expired: false };
  const seconds = Math.round(expiresAt - now / 1000);
  const at = new Date(expiresAt * 1000).toISOString().slice(11, 16) + ' UTC';
  if (seconds <= 0) return { text: `expired at ${at}: pick a role again or paste a new token`, expired: true };
  const minutes = Math.floor(seconds / 60);
  return { text: `expires at ${at} (in ${minutes > 0 ? `${minutes} min` : `${seconds} s`})`, expired: false };
}

const ExamplesContext = createContext<{ examples: Example[]; roles: string[] }>({ examples: [], roles: [] });

/** The examples of the roles the current token holds, each opened into the editors with one click. */
function ExamplesPanel() {
  const { examples, roles } = useContext(ExamplesContext);
  const { queryEditor, variableEditor, setOperationName } = useEditorContext({ nonNull: true });
  const mine = examples.filter((example) => roles.includes(example.role));
  if (mine.length === 0) return <p className="mhhs-hint">No examples for this token's roles.</p>;
  return (
    <div className="mhhs-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      {mine.map((example) => (
        <button
          key={`${example.role}/${example.name}`}
          type="button"
          className="mhhs-example"
          data-example={`${example.role}/${example.name}`}
          onClick={() => {
            queryEditor?.setValue(example.query);
            // GraphiQL keeps the operation name it ran last; the example's own must run, not the previous one's.
            setOperationName(/^\s*(?:query|mutation)\s+(\w+)/m.exec(example.query)?.[1] ?? '');
            variableEditor?.setValue(Object.keys(example.variables).length > 0 ? JSON.stringify(example.variables, null, 2) : '');
          }}
        >
          <strong>{example.name}</strong>
          {roles.length > 1 ? <em> ({example.role})</em> : null}
          <span>{example.title}</span>
        </button>
      ))}
    </div>
  );
}

/** One plugin object for the page's lifetime: GraphiQL keys the sidebar by it. */
const EXAMPLES_PLUGIN: GraphiQLPlugin = {
  title: 'Examples',
  icon: () => <span className="mhhs-examples-icon">Ex</span>,
  content: ExamplesPanel,
};

/** Stable too: a new array would make GraphiQL reset which plugin is open on every render. */
const PLUGINS = [EXAMPLES_PLUGIN];

function Playground() {
  const [devTokens, setDevTokens] = useState<DevToken[] | null>(null);
  const [examples, setExamples] = useState<Example[]>([]);
  const [token, setToken] = useState<string>(() => localStorage.getItem(TOKEN_KEY) ?? '');
  const [now, setNow] = useState(() => Date.now());
  // GraphiQL introspects as soon as it renders: wait until we know whether dev tokens are on offer.
  const [ready, setReady] = useState(false);

  useEffect(() => {
    // Dev keys only: elsewhere /dev/tokens does not exist and the token is pasted.
    fetch('/dev/tokens')
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { tokens: DevToken[] } | null) => {
        if (!body) return;
        setDevTokens(body.tokens);
        // A stored token that is still valid is kept across reloads; otherwise act as the first role.
        setToken((current) => {
          const facts = current ? readToken(current) : null;
          return facts && (facts.expiresAt === null || facts.expiresAt * 1000 > Date.now()) ? current : (body.tokens[0]?.token ?? '');
        });
      })
      .catch(() => undefined)
      .finally(() => setReady(true));
    fetch('/playground/examples.json')
      .then((response) => (response.ok ? response.json() : { examples: [] }))
      .then((body: { examples: Example[] }) => setExamples(body.examples))
      .catch(() => undefined);
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  }, [token]);

  const facts = useMemo(() => (token ? readToken(token) : null), [token]);
  const expiry = facts ? describeExpiry(facts.expiresAt, now) : null;

  // A new fetcher for a new token makes GraphiQL introspect again: the docs and autocompletion follow the role.
  const fetcher = useMemo(
    () => async (params: unknown, options?: { headers?: Record<string, unknown> }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
      const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
      return response.json();
    },
    [token],
  );

  const examplesOfToken = useMemo(() => ({ examples, roles: facts?.roles ?? [] }), [examples, facts]);

  const selected = devTokens?.find((candidate) => candidate.token === token)?.token ?? '';
  return (
    <div className="mhhs-page">
      <header className="mhhs-bar">
        <h1>MHHS data gateway</h1>
        {devTokens ? (
          <label>
            Act as
            <select id="act-as" value={selected} onChange={(event) => setToken(event.target.value)}>
              {selected === '' ? <option value="">(pasted token)</option> : null}
              {devTokens.map((candidate) => (
                <option key={candidate.role} value={candidate.token} data-role={candidate.role}>
                  {candidate.role} — {candidate.participant} ({candidate.name})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="mhhs-token">
          Bearer token
          <input
            id="token"
            value={token}
            placeholder="paste a token: eyJ…"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setToken(event.target.value.trim())}
          />
        </label>
        <span id="token-facts" className={expiry?.expired ? 'mhhs-expired' : ''}>
          {facts ? `${facts.participant} · ${facts.roles.join(', ')} · ${expiry!.text}` : token ? 'not a JWT' : 'no token'}
          {facts && facts.roles.length > 1 ? ' · several roles: set {"x-acting-role": "ROLE"} under Headers' : ''}
        </span>
      </header>
      <div className="mhhs-graphiql">
        {ready ? (
          <ExamplesContext.Provider value={examplesOfToken}>
            <GraphiQL
              fetcher={fetcher as never}
              plugins={PLUGINS}
              defaultQuery={DEFAULT_QUERY}
              defaultEditorToolsVisibility="variables"
              isHeadersEditorEnabled
              shouldPersistHeaders={false}
            />
          </ExamplesContext.Provider>
        ) : null}
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
