import { composeSupergraph, readCommittedSupergraph } from '../../dev/compose-supergraph';
import { subgraphs } from '../../subgraphs';

describe('schema/supergraph.graphql', () => {
  it('is exactly what composing the subgraph SDL gives now (run npm run compose and commit when this fails)', () => {
    expect(readCommittedSupergraph()).toBe(composeSupergraph());
  });

  it('joins all four subgraphs', () => {
    const supergraph = readCommittedSupergraph();
    for (const subgraph of subgraphs) expect(supergraph).toContain(`name: "${subgraph.name}"`);
    expect(subgraphs.map((s) => s.name)).toEqual(['registration', 'metering-data', 'appointment', 'settlement']);
  });
});

describe('subgraph SDL', () => {
  it.each(subgraphs.map((s) => [s.name, s] as const))('%s describes every type and field it defines', (_name, subgraph) => {
    const undocumented: string[] = [];
    for (const definition of subgraph.typeDefs.definitions) {
      if (!('name' in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      if (!('description' in definition) || !definition.description) {
        if (typeName !== 'Query') undocumented.push(typeName);
      }
      const members = 'fields' in definition ? definition.fields ?? [] : 'values' in definition ? definition.values ?? [] : [];
      for (const member of members) if (!member.description) undocumented.push(`${typeName}.${member.name.value}`);
    }
    expect(undocumented).toEqual([]);
  });
});
