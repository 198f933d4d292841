import { withoutSchemaHintsOrSubgraphDetails } from '../../gateway/build-gateway';
import { describeAppointments } from '../../subgraphs/appointment/request-appointment';
import type { Appointment } from '../../subgraphs/appointment/store';
import { startTestStack, type TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';

// Issue 11, item 5: no accidental leaks. A caller learns nothing from the shape of a refusal (hidden answers as
// unknown), no error names another participant's objects, and the hint filter cuts only graphql-js's hints.

const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

/** The whole answer as text, with `name` replaced by a placeholder: what must be the same for hidden and unknown. */
async function answerWithout(query: string, name: string, as: Actor): Promise<{ status: number; text: string }> {
  const response = await stack.post({ query }, { authorization: `Bearer ${await stack.token(as)}` });
  return { status: response.status, text: response.text.split(name).join('<NAME>') };
}

describe('a type or field hidden from the role answers exactly as one that does not exist (PRI-003b)', () => {
  it.each([
    ['a field', '{ bmUnits { id creditAssessmentLoadFactor } }', 'creditAssessmentLoadFactor', 'creditAssessmentLoadFactorZ'],
    ['a root field', '{ bscParties { id } }', 'bscParties', 'bscPartiesZ'],
    ['a type in a fragment', '{ bmUnits { id ... on BscParty { id } } }', 'BscParty', 'BscPartyZ'],
    ['a type in a named fragment', 'query { bmUnits { id } ...P } fragment P on BscParty { id }', 'BscParty', 'BscPartyZ'],
    ['a type asked by __type', '{ __type(name: "BscParty") { name } }', 'BscParty', 'BscPartyZ'],
  ])('%s: byte for byte the same answer, status included', async (_what, query, hidden, unknown) => {
    const asHidden = await answerWithout(query, hidden, MDS);
    const asUnknown = await answerWithout(query.split(hidden).join(unknown), unknown, MDS);
    expect(asHidden).toEqual(asUnknown);
    expect(asHidden.text).not.toMatch(/FORBIDDEN|PRI-|not available/);
  });

  it('the refusal of a hidden field is still audited, with the field and principle, for the security group', async () => {
    const before = stack.auditLog.length;
    await answerWithout('{ bmUnits { id creditAssessmentLoadFactor } }', 'x', MDS);
    expect(stack.auditLog.slice(before)).toEqual([
      expect.objectContaining({ event: 'access_refused', fields: ['BmUnit.creditAssessmentLoadFactor'], principles: ['PRI-003b'] }),
    ]);
  });
});

describe("no error names another participant's objects", () => {
  const appointment = (id: string, supplierId: string, providerId: string): Appointment =>
    ({ id, supplierId, providerId, decision: 'REQUESTED', effectiveFrom: '2026-12-20' }) as Appointment;

  it("OVERLAPPING_APPOINTMENT names the caller's own requests and only counts another supplier's (a gaining supplier never sees the losing one's request)", () => {
    const overlapping = [appointment('APT-OWN', 'SUPA', 'SDSA'), appointment('APT-LOSING', 'SUPB', 'SDSB')];
    const told = describeAppointments(overlapping, 'SUPA');
    expect(told).toBe("APT-OWN (SDSA, REQUESTED from 2026-12-20), 1 of another participant's (not named)");
    expect(told).not.toMatch(/APT-LOSING|SUPB|SDSB/);
  });

  it("a provider answering is told about the appointments it is party to, never another provider's", () => {
    const overlapping = [appointment('APT-MINE', 'SUPA', 'SDSB'), appointment('APT-THEIRS', 'SUPC', 'SDSC')];
    expect(describeAppointments(overlapping, 'SDSB')).toBe(
      "APT-MINE (SDSB, REQUESTED from 2026-12-20), 1 of another participant's (not named)",
    );
  });
});

describe('the "Did you mean" filter cuts graphql-js\'s hints only', () => {
  it.each([
    ['Cannot query field "nme" on type "Product". Did you mean "name"?', 'Cannot query field "nme" on type "Product".'],
    ['Value "OPN" does not exist in "Status" enum. Did you mean the enum value "OPEN"?', 'Value "OPN" does not exist in "Status" enum.'],
    ['Unknown type "Fo". Did you mean "Foo", "Bar", or "Baz"?', 'Unknown type "Fo".'],
  ])("cuts the hint from the gateway's own error: %s", (message, cut) => {
    expect(withoutSchemaHintsOrSubgraphDetails({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }).message).toBe(cut);
  });

  it("leaves a subgraph's business message whole, even where it asks a question", () => {
    const message = 'a change of supplier must be processed by the supply start: Did you mean "CHANGE_OF_SERVICE_PROVIDER"?';
    const formatted = withoutSchemaHintsOrSubgraphDetails({ message, extensions: { code: 'BAD_USER_INPUT', serviceName: 'appointment' } });
    expect(formatted.message).toBe(message);
  });

  it('leaves prose that merely contains the words alone', () => {
    const message = 'resubmit as CSP. Did you mean to send a change of service provider?';
    expect(withoutSchemaHintsOrSubgraphDetails({ message }).message).toBe(message);
  });
});
