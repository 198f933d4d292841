import { subgraphs } from './index';

/** Each subgraph's GraphQL URL from its environment variable (REGISTRATION_URL, …), else its local default port. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(subgraphs.map((s) => [s.name, env[s.urlEnv] ?? `http://127.0.0.1:${s.defaultPort}/graphql`]));
}
