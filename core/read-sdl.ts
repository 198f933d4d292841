import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, DocumentNode } from 'graphql';

/** The @access directive and the MarketRole enum, defined once and read into every subgraph's SDL. */
export const ACCESS_SDL_PATH = join(__dirname, '..', 'schema', 'access.graphql');

/** Parses a subgraph's schema.graphql together with schema/access.graphql; parse errors name the file. */
export function readSdl(path: string): DocumentNode {
  const source = readFileSync(path, 'utf8');
  try {
    return parse(`${source}\n${readFileSync(ACCESS_SDL_PATH, 'utf8')}`);
  } catch (error) {
    throw new Error(`${path} (with schema/access.graphql): ${(error as Error).message}`, { cause: error });
  }
}
