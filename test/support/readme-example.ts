import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlaygroundExamples } from '../../gateway/playground/examples';

const README = join(__dirname, '..', '..', 'README.md');

/**
 * The README's example operation. It is kept once, as the supplier's first playground example
 * (gateway/playground/examples/SUPPLIER/metering-point-overview.graphql); the README shows the same text.
 */
export function readmeExampleOperation(): { query: string; variables: Record<string, unknown> } {
  const example = readPlaygroundExamples().find((e) => e.role === 'SUPPLIER' && e.name === 'metering-point-overview');
  if (!example) throw new Error('the SUPPLIER example metering-point-overview.graphql is missing');
  return { query: example.query, variables: example.variables };
}

/** The first ```graphql block of the README: the example operation as the README shows it. */
export function readmeExampleQueryText(): string {
  const block = /```graphql\n([\s\S]*?)\n```/.exec(readFileSync(README, 'utf8'));
  if (!block) throw new Error('README.md has no ```graphql block with the example query');
  return block[1];
}

/**
 * The answer the README documents for its example query (its first ```json block), so the tests that run the example
 * hold the README to what the product answers, on any date.
 */
export function readmeExampleAnswer(): unknown {
  const block = /```json\n([\s\S]*?)\n```/.exec(readFileSync(README, 'utf8'));
  if (!block) throw new Error('README.md has no ```json block with the example answer');
  return JSON.parse(block[1]);
}
