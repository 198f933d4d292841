import { createClient, type ExecutionResult } from 'graphql-sse';
import type { TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { DAY_MS, TEST_NOW } from '../support/test-clock';

// What the message tests share: reading and acknowledging a participant's feed through the gateway, and holding a
// stream open on /graphql/stream.

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

/** A supplier's request for SDSB as Smart Data Service of `mpanCore`, a week ahead unless `effectiveFrom` says. */
export async function requestSdsb(
  stack: TestStack,
  as: Actor,
  mpanCore: string,
  { effectiveFrom = utcDay(7), scenario = 'CHANGE_OF_SERVICE_PROVIDER' }: { effectiveFrom?: string; scenario?: string } = {},
): Promise<string> {
  const data = await mutate(
    stack,
    REQUEST,
    {
      input: {
        mpanCore,
        serviceRole: 'SMART_DATA_SERVICE',
        provider: 'SDSB',
        scenario,
        effectiveFrom,
        contractReference: `CTR-${as.participant}-${mpanCore}`,
      },
    },
    as,
  );
  return data.requestAppointment.id;
}

export const STREAM = `subscription($after: String) { messages(after: $after) { cursor node { id type mpanCore } } }`;

export interface StreamEvent {
  cursor: string;
  node: { id: string; type: string; mpanCore: string };
}

/** A stream `as` holds open, with the events received so far. */
export async function openStream(stack: TestStack, as: Actor, after?: string) {
  const token = await stack.token(as);
  const client = createClient({
    url: stack.gatewayUrl.replace(/\/graphql$/, '/graphql/stream'),
    headers: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const events: StreamEvent[] = [];
  const errors: unknown[] = [];
  const iterator = client.iterate<{ messages: StreamEvent }>({ query: STREAM, variables: after ? { after } : {} });
  const done = (async () => {
    try {
      for await (const result of iterator as AsyncIterable<ExecutionResult<{ messages: StreamEvent }>>) {
        if (result.errors) errors.push(...result.errors);
        else if (result.data) events.push(result.data.messages);
      }
    } catch (error) {
      errors.push(error);
    }
  })();
  return {
    events,
    errors,
    /** Waits until `count` events have arrived (or fails after 15 s). */
    async until(count: number) {
      const deadline = Date.now() + 15_000;
      while (events.length < count && Date.now() < deadline && errors.length === 0) await new Promise((r) => setTimeout(r, 50));
      expect(errors).toEqual([]);
      expect(events.length).toBeGreaterThanOrEqual(count);
    },
    async close() {
      await iterator.return?.();
      client.dispose();
      await done;
    },
    done,
  };
}
