import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One saved operation the playground offers a role: `gateway/playground/examples/<ROLE>/<name>.graphql`. */
export interface PlaygroundExample {
  role: string;
  name: string;
  /** The file's first comment line. */
  title: string;
  query: string;
  /** From a `# variables: {…}` comment line, when the operation takes variables. */
  variables: Record<string, unknown>;
}

export const EXAMPLES_DIRECTORY = join(__dirname, 'examples');

/**
 * Reads every role's examples once. Each file starts with a comment line giving its title and may have a
 * `# variables: {…}` line (JSON) with the variables it runs with; the rest is the operation itself.
 */
export function readPlaygroundExamples(directory: string = EXAMPLES_DIRECTORY): PlaygroundExample[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((role) =>
      readdirSync(join(directory, role))
        .filter((file) => file.endsWith('.graphql'))
        .sort()
        .map((file) => parseExample(role, file.replace(/\.graphql$/, ''), readFileSync(join(directory, role, file), 'utf8'))),
    );
}

function parseExample(role: string, name: string, text: string): PlaygroundExample {
  const lines = text.split('\n');
  const title = /^#\s*(.+)$/.exec(lines[0] ?? '')?.[1];
  if (!title) throw new Error(`playground example ${role}/${name}.graphql must start with a "# title" comment line`);
  const variablesLine = lines.find((line) => /^#\s*variables:/.test(line));
  let variables: Record<string, unknown> = {};
  if (variablesLine) {
    try {
      variables = JSON.parse(variablesLine.replace(/^#\s*variables:/, ''));
    } catch (error) {
      throw new Error(`playground example ${role}/${name}.graphql: its "# variables:" line is not JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  const query =
    lines
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim() + '\n';
  return { role, name, title, query, variables };
}
