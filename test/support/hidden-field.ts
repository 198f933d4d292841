/**
 * Expects a gateway answer refusing `coordinate` ("Type.field") exactly as a field that does not exist is refused
 * (issue 11, item 5: hidden and unknown answer identically): HTTP 400, no data, only GRAPHQL_VALIDATION_FAILED errors in
 * graphql-js's words, naming the field, or the input type only that field takes (unknown to the role just the same).
 * Which principle denied it is in the audit log, not in the answer.
 */
export function expectHidden(response: { status: number; body: any }, coordinate: string): void {
  const field = coordinate.split('.')[1];
  const errors = (response.body?.errors ?? []) as { message: string; extensions?: { code?: unknown } }[];
  const validationMessage = /^(Cannot query field "[^"]+" on type "[^"]+"|Unknown type "[^"]+")\.$/;
  expect({ status: response.status, data: response.body?.data }).toEqual({ status: 400, data: undefined });
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect({ message: error.message, code: error.extensions?.code }).toEqual({
      message: expect.stringMatching(validationMessage),
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  }
  expect(errors.some((error) => error.message.toLowerCase().includes(`"${field.toLowerCase()}`))).toBe(true);
}
