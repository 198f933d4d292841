import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** The gateway's GraphQL endpoint; `VITE_GATEWAY_URL` when the portal is served by Vite. */
export const GATEWAY_URL: string = import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql';

/** A refusal from the gateway, with its `extensions.code` and `reason` (docs/integrating.md). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

/** Runs one typed operation as the supplier: the variables and the answer are typed from schema/roles/SUPPLIER.graphql. */
export async function request<Result, Variables>(
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-acting-role': 'SUPPLIER' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: Result;
    errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(body.errors.map((error) => error.message).join('; '), first.extensions?.code, first.extensions?.reason);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status} with no data`, undefined, undefined);
  return body.data;
}

/** In development the gateway offers dev tokens; a real deployment gets the token from the participant's sign-in. */
export async function devSupplierToken(): Promise<string | null> {
  try {
    const response = await fetch(GATEWAY_URL.replace(/\/graphql$/, '/dev/tokens'));
    if (!response.ok) return null;
    const { tokens } = (await response.json()) as { tokens: { role: string; token: string }[] };
    return tokens.find((token) => token.role === 'SUPPLIER')?.token ?? null;
  } catch {
    return null;
  }
}
