import { Kind, parse, type ConstArgumentNode, type DocumentNode } from 'graphql';

/** The environment variable that overrides a subgraph's URL: its name upper-cased, `-` and the like as `_`, then `_URL`. */
export function urlEnvName(subgraphName: string): string {
  return `${subgraphName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
}

/**
 * Each subgraph of a supergraph by name → the URL it is reached at: the `url` its `@join__graph(name:, url:)` names,
 * unless the environment sets `<NAME>_URL` (REGISTRATION_URL, METERING_DATA_URL, …), which wins. So the gateway serves
 * any composed supergraph file (SUPERGRAPH_FILE) at the URLs it was composed with, and deployments can still move
 * each subgraph. Throws, naming the variable to set, when a subgraph ends up with no URL or one that is not http(s).
 */
export function subgraphUrlsFromSupergraph(
  supergraphSdl: string | DocumentNode,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
  const urls: Record<string, string> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    for (const value of definition.values ?? []) {
      for (const directive of value.directives ?? []) {
        if (directive.name.value !== 'join__graph') continue;
        const name = stringArgument(directive.arguments, 'name');
        if (!name) throw new Error(`supergraph: @join__graph on ${definition.name.value}.${value.name.value} has no name`);
        const envName = urlEnvName(name);
        const url = env[envName]?.trim() || stringArgument(directive.arguments, 'url');
        if (!url) throw new Error(`subgraph "${name}" has no URL in the supergraph: set ${envName}`);
        if (!isHttpUrl(url))
          throw new Error(
            `subgraph "${name}" URL ${JSON.stringify(url)} is not an http(s) URL (from ${env[envName]?.trim() ? envName : 'the supergraph'})`,
          );
        urls[name] = url;
      }
    }
  }
  if (Object.keys(urls).length === 0) throw new Error('supergraph names no subgraphs (no @join__graph): is it a composed supergraph?');
  return urls;
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

function stringArgument(args: readonly ConstArgumentNode[] | undefined, name: string): string | undefined {
  const value = args?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
