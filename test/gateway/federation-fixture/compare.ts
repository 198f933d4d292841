/**
 * Plain Apollo Server adds stack traces to errors outside production (`extensions.stacktrace`); ours never does. That
 * is the only difference the federation-equivalence tests allow, and the only thing this removes.
 */
export function withoutStackTraces(body: unknown): any {
  return body === undefined ? undefined : JSON.parse(JSON.stringify(body, (key, value) => (key === 'stacktrace' ? undefined : value)));
}

export interface HttpAnswer {
  status: number;
  body: any;
}

/** POSTs a GraphQL request as JSON and returns the status and parsed body (undefined when it is not JSON). */
export async function postGraphQL(
  url: string,
  request: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}
