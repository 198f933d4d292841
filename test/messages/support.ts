import type { TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { DAY_MS, TEST_NOW } from '../support/test-clock';

// What the message tests share: reading and acknowledging a participant's feed through the gateway.

export const MESSAGES = `query($after: String, $first: Int) { messages(after: $after, first: $first) {
  edges { cursor node { id type recipientParticipant recipientRole mpanCore payload principle createdAt } }
  pageInfo { endCursor hasNextPage } } }`;
export const ACKNOWLEDGE = `mutation($cursor: String!) { acknowledgeMessages(cursor: $cursor) { cursor acknowledgedAt } }`;
export const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id } }`;
export const RESPOND = `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { id status } }`;

export const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
export const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
export const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
export const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
export const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };

export const utcDay = (offset = 0) => new Date(TEST_NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

export interface MessagePage {
  edges: { cursor: string; node: { id: string; type: string; payload: string; [field: string]: unknown } }[];
  pageInfo: { endCursor: string; hasNextPage: boolean };
}

/** One page of `as`'s messages; fails the test on errors. */
export async function readMessages(stack: TestStack, as: Actor, variables: { after?: string; first?: number } = {}): Promise<MessagePage> {
  const { body } = await stack.query(MESSAGES, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data.messages;
}

/** A successful mutation's data; fails the test on errors. */
export async function mutate(stack: TestStack, query: string, variables: Record<string, unknown>, as: Actor): Promise<any> {
  const { body } = await stack.query(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** A supplier's request for SDSB as Smart Data Service of `mpanCore`, a week ahead. */
export async function requestSdsb(stack: TestStack, as: Actor, mpanCore: string): Promise<string> {
  const data = await mutate(
    stack,
    REQUEST,
    {
      input: {
        mpanCore,
        serviceRole: 'SMART_DATA_SERVICE',
        provider: 'SDSB',
        scenario: 'CHANGE_OF_SERVICE_PROVIDER',
        effectiveFrom: utcDay(7),
        contractReference: `CTR-${as.participant}-${mpanCore}`,
      },
    },
    as,
  );
  return data.requestAppointment.id;
}
