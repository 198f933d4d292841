import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { subgraphUrlsFromSupergraph, urlEnvName } from '../../gateway/supergraph-urls';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { subgraphs } from '../../subgraphs';

// gateway/main.ts serves SUPERGRAPH_FILE at the URLs its join__graph names, each overridable by <NAME>_URL.

function compose(services: { name: string; url?: string }[]): string {
  const result = composeServices(
    services.map(({ name, url }, i) => ({
      name,
      url,
      typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { field${i}: Thing${i} } type Thing${i} @key(fields: "id") { id: ID! }`),
    })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

describe('subgraph URLs from a supergraph', () => {
  const external = compose([
    { name: 'inventory', url: 'http://inventory.internal:8080/graphql' },
    { name: 'price-engine', url: 'https://prices.example.com/gql' },
  ]);

  it('reads every join__graph name and url of an external supergraph', () => {
    expect(subgraphUrlsFromSupergraph(external, {})).toEqual({
      inventory: 'http://inventory.internal:8080/graphql',
      'price-engine': 'https://prices.example.com/gql',
    });
  });

  it('lets <NAME>_URL override one subgraph and leaves the others as the supergraph names them', () => {
    const env = { PRICE_ENGINE_URL: 'http://127.0.0.1:9999/graphql', REGISTRATION_URL: 'http://ignored:1/graphql' };
    expect(subgraphUrlsFromSupergraph(external, env)).toEqual({
      inventory: 'http://inventory.internal:8080/graphql',
      'price-engine': 'http://127.0.0.1:9999/graphql',
    });
  });

  it("uses the project's own variable names for the project's subgraphs", () => {
    for (const subgraph of subgraphs) expect(urlEnvName(subgraph.name)).toBe(subgraph.urlEnv);
    const committed = readCommittedSupergraph();
    expect(Object.keys(subgraphUrlsFromSupergraph(committed, {})).sort()).toEqual(subgraphs.map((s) => s.name).sort());
    const env = Object.fromEntries(subgraphs.map((s) => [s.urlEnv, `http://${s.name}:${s.defaultPort}/graphql`]));
    expect(subgraphUrlsFromSupergraph(committed, env)).toEqual(
      Object.fromEntries(subgraphs.map((s) => [s.name, `http://${s.name}:${s.defaultPort}/graphql`])),
    );
  });

  it('refuses a subgraph without a URL unless its variable gives one, and a URL that is not http(s)', () => {
    const noUrl = compose([{ name: 'inventory', url: 'http://inventory/graphql' }, { name: 'orders' }]);
    expect(() => subgraphUrlsFromSupergraph(noUrl, {})).toThrow('subgraph "orders" has no URL in the supergraph: set ORDERS_URL');
    expect(subgraphUrlsFromSupergraph(noUrl, { ORDERS_URL: 'http://orders/graphql' }).orders).toBe('http://orders/graphql');
    expect(() => subgraphUrlsFromSupergraph(external, { INVENTORY_URL: 'inventory:8080' })).toThrow(
      /"inventory:8080" is not an http\(s\) URL \(from INVENTORY_URL\)/,
    );
  });

  it('refuses SDL that is not a composed supergraph', () => {
    expect(() => subgraphUrlsFromSupergraph('type Query { a: Int }', {})).toThrow(/names no subgraphs/);
  });
});
