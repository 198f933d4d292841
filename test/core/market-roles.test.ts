import { readFileSync } from 'node:fs';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { ACCESS_SDL_PATH, DATA_SERVICE_ROLES, isAppointedService, MARKET_ROLES, METERING_SERVICE_ROLES } from '../../core';

function sdlMarketRoles(): string[] {
  const document = parse(readFileSync(ACCESS_SDL_PATH, 'utf8'));
  const definition = document.definitions.find(
    (node): node is EnumTypeDefinitionNode => node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === 'MarketRole',
  );
  if (!definition) throw new Error(`${ACCESS_SDL_PATH} defines no enum MarketRole`);
  return (definition.values ?? []).map((value) => value.name.value);
}

describe('market roles', () => {
  it('MARKET_ROLES names exactly the values of enum MarketRole in schema/access.graphql, in the same order', () => {
    expect([...MARKET_ROLES]).toEqual(sdlMarketRoles());
  });

  it('the appointed services are the data services and the metering services, and nothing else', () => {
    expect(MARKET_ROLES.filter(isAppointedService)).toEqual(
      [...DATA_SERVICE_ROLES, ...METERING_SERVICE_ROLES].sort((a, b) => MARKET_ROLES.indexOf(a) - MARKET_ROLES.indexOf(b)),
    );
  });
});
