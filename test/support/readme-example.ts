import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The answer the README documents for its example query (its first ```json block), so the tests that run the example
 * hold the README to what the product answers, on any date.
 */
export function readmeExampleAnswer(): unknown {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```json\n([\s\S]*?)\n```/.exec(readme);
  if (!block) throw new Error('README.md has no ```json block with the example answer');
  return JSON.parse(block[1]);
}
