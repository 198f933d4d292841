// The committed supergraph names placeholder URLs (localhost:4001 …) in its `@join__graph(name:, url:)` directives. The
// bench writes a copy with the subgraphs' real URLs, so every gateway (ours, plain, Hive) reads the same file and
// needs no URL settings of its own.

const JOIN_GRAPH = /@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*"([^"]*)"\s*\)/g;

/** Subgraph name → URL, as the supergraph's `@join__graph` directives name them. */
export function joinGraphUrls(supergraphSdl: string): Record<string, string> {
  return Object.fromEntries([...supergraphSdl.matchAll(JOIN_GRAPH)].map(([, name, url]) => [name, url]));
}

/** The supergraph with each named subgraph's URL replaced; throws when a subgraph of either side has no match. */
export function withJoinGraphUrls(supergraphSdl: string, urls: Record<string, string>): string {
  const named = Object.keys(joinGraphUrls(supergraphSdl));
  const missing = named.filter((name) => !urls[name]);
  const unknown = Object.keys(urls).filter((name) => !named.includes(name));
  if (missing.length || unknown.length) {
    throw new Error(
      `supergraph subgraphs ${named.join(', ')} do not match the URLs given (missing: ${missing.join(', ') || '–'}; unknown: ${unknown.join(', ') || '–'})`,
    );
  }
  return supergraphSdl.replace(
    JOIN_GRAPH,
    (_, name: string) => `@join__graph(name: ${JSON.stringify(name)}, url: ${JSON.stringify(urls[name])})`,
  );
}
