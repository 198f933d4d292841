import { readFileSync } from 'node:fs';
import { parse, DocumentNode } from 'graphql';

/** Parses a subgraph's schema.graphql; parse errors name the file. */
export function readSdl(path: string): DocumentNode {
  const source = readFileSync(path, 'utf8');
  try {
    return parse(source);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
