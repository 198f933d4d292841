import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../../gateway/build-gateway';
import { subgraphUrlsFromSupergraph } from '../../gateway/supergraph-urls';
import { startPlainGateway, type PlainGateway } from '../../bench/plain-gateway';
import { testKeys, type Actor } from '../support/test-keys';
import { startFixtureGraph, type FixtureGraph } from './federation-fixture/start-fixture';
import { expectedShippingEstimate, OUTAGE_PROBE, PRODUCTS } from './federation-fixture/subgraphs';
import { postGraphQL, withoutStackTraces, type HttpAnswer } from './federation-fixture/compare';
import { testClock } from '../support/test-clock';

// Issue 5, item 4, on a graph that uses what the project's own schema does not (@requires, @provides, entity
// interfaces, unions, @shareable value types, errors and nulls in entity fetches): the same operations go through ours
// with enforcement off and through plain @apollo/gateway, over the same fixture subgraphs, and must answer identically,
// calling the same subgraphs as often. Each case also checks that it really exercises its feature.

const ACTOR: Actor = { role: 'SUPPLIER', participant: 'SUPA' };

/** GraphQL requests each fixture subgraph answered for one gateway request. */
type Calls = Record<string, number>;

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Checks ours' answer really shows the feature (so the case can fail), given the subgraph calls it made. */
  check(body: any, calls: Calls): void;
}

const product = (upc: string) => PRODUCTS.find((p) => p.upc === upc)!;
const codes = (body: any) => (body.errors ?? []).map((e: any) => e.extensions?.code);

const CASES: Case[] = [
  {
    name: 'a list of entities across three subgraphs (catalog → reviews → people)',
    query: `{ topProducts(first: 2) { upc name price reviews { body rating author { username name location { city } } } } }`,
    check(body, calls) {
      expect(body.data.topProducts.map((p: any) => p.reviews.length)).toEqual([2, 1]);
      expect(body.data.topProducts[0].reviews[0].author).toEqual({ username: 'ada', name: 'Ada Lovelace', location: { city: 'London' } });
      expect(calls).toEqual({ catalog: 1, reviews: 1, people: 1 });
    },
  },
  {
    name: 'a list of entities the other way round (people → reviews → catalog)',
    query: `{ users { id username reviews { rating product { upc name } } } }`,
    check(body, calls) {
      expect(body.data.users[0].reviews.map((r: any) => r.product.name)).toEqual(['The Hobbit', 'Oak Table']);
      expect(calls).toEqual({ people: 1, reviews: 1, catalog: 1 });
    },
  },
  {
    name: '@requires: a field computed from external fields the client did not ask for',
    query: `{ products { upc shippingEstimate } }`,
    check(body) {
      const byUpc = Object.fromEntries(body.data.products.map((p: any) => [p.upc, p]));
      for (const upc of ['p1', 'p2', 'p3']) {
        expect(byUpc[upc].shippingEstimate).toBe(expectedShippingEstimate(product(upc).price, product(upc).dimensions!.weight));
      }
      // The estimate depends on the external fields: free from 100 (p2), by weight below (p1 10, p3 17).
      expect([byUpc.p1.shippingEstimate, byUpc.p2.shippingEstimate, byUpc.p3.shippingEstimate]).toEqual([10, 0, 17]);
      // The required fields were fetched for the plan, not returned to the client.
      expect(Object.keys(byUpc.p1)).toEqual(['upc', 'shippingEstimate']);
      // p4 has no dimensions: a nullable field error from the @requires subgraph, at the client's path.
      expect(byUpc.p4.shippingEstimate).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        path: ['products', 3, 'shippingEstimate'],
        extensions: { code: 'MISSING_DIMENSIONS', upc: 'p4' },
      });
    },
  },
  {
    name: '@requires with the required fields also selected, under aliases',
    query: `{ product(upc: "p3") { cost: price size: dimensions { kg: weight } shippingEstimate } }`,
    check(body) {
      expect(body.data.product).toEqual({ cost: 20, size: { kg: 1.2 }, shippingEstimate: 17 });
    },
  },
  {
    name: '@provides: a provided field is served by the providing subgraph, people is not called',
    query: `{ review(id: "r1") { body author { id username } } }`,
    check(body, calls) {
      expect(body.data.review.author).toEqual({ id: 'u1', username: 'ada' });
      expect(calls).toEqual({ catalog: 0, reviews: 1, people: 0 });
    },
  },
  {
    name: '@provides: a field beyond the provided ones makes the gateway call the owner',
    query: `{ review(id: "r2") { author { username name } } }`,
    check(body, calls) {
      expect(body.data.review.author).toEqual({ username: 'alan', name: 'Alan Turing' });
      expect(calls).toEqual({ catalog: 0, reviews: 1, people: 1 });
    },
  },
  {
    name: 'an entity its owner does not know: _entities answers null for it',
    query: `{ review(id: "r4") { body author { id username name location { city } } } }`,
    check(body, calls) {
      // The provided fields stay; the owner's fields are null, without an error.
      expect(body.data.review.author).toEqual({ id: 'u-ghost', username: 'ghost', name: null, location: null });
      expect(body.errors).toBeUndefined();
      expect(calls.people).toBe(1);
    },
  },
  {
    name: 'entity interface: @interfaceObject fields, concrete types and their fields from the interface owner',
    query: `{ reviewedMedia { __typename id reviewCount title ... on Book { author pages } ... on Movie { director } } }`,
    check(body, calls) {
      expect(body.data.reviewedMedia).toEqual([
        { __typename: 'Book', id: 'b1', reviewCount: 2, title: 'Dune', author: 'Frank Herbert', pages: 412 },
        { __typename: 'Movie', id: 'm1', reviewCount: 1, title: 'Arrival', director: 'Denis Villeneuve' },
      ]);
      expect(calls).toEqual({ catalog: 1, reviews: 1, people: 0 });
    },
  },
  {
    name: 'entity interface from its owner, with the @interfaceObject subgraph adding a field to every implementation',
    query: `{ media { __typename id title reviewCount } }`,
    check(body, calls) {
      expect(body.data.media.map((m: any) => [m.__typename, m.reviewCount])).toEqual([
        ['Book', 2],
        ['Movie', 1],
        ['Book', 0],
      ]);
      expect(calls).toEqual({ catalog: 1, reviews: 1, people: 0 });
    },
  },
  {
    name: 'a plain interface with fragments on its implementations, inside an entity fetch',
    query: `{ review(id: "r1") { author { contacts { __typename label ... on EmailContact { email } ... on PhoneContact { number } } } } }`,
    check(body) {
      expect(body.data.review.author.contacts).toEqual([
        { __typename: 'EmailContact', label: 'work', email: 'ada@example.org' },
        { __typename: 'PhoneContact', label: 'mobile', number: '+44 7700 900001' },
      ]);
    },
  },
  {
    name: 'a union of entities owned by three subgraphs, through named fragments',
    query: `{ feed { __typename ...ReviewItem ...ProductItem ...UserItem } }
      fragment ReviewItem on Review { id rating author { username } }
      fragment ProductItem on Product { upc name price shippingEstimate }
      fragment UserItem on User { id username fullName: name reviews { id } }`,
    check(body, calls) {
      expect(body.data.feed.map((item: any) => item.__typename)).toEqual(['Review', 'Product', 'User']);
      expect(body.data.feed[1]).toEqual({ __typename: 'Product', upc: 'p2', name: 'Oak Table', price: 250, shippingEstimate: 0 });
      expect(body.data.feed[2]).toEqual({
        __typename: 'User',
        id: 'u2',
        username: 'alan',
        fullName: 'Alan Turing',
        reviews: [{ id: 'r2' }],
      });
      expect(calls.catalog).toBeGreaterThan(0);
      expect(calls.people).toBeGreaterThan(0);
    },
  },
  {
    name: '@shareable value types resolved by two subgraphs (Location by reviews and people, Dimensions by catalog)',
    query: `{ review(id: "r1") { location { city country } author { location { city country } } product { dimensions { size weight } } } }`,
    check(body) {
      expect(body.data.review).toEqual({
        location: { city: 'Oxford', country: 'GB' },
        author: { location: { city: 'London', country: 'GB' } },
        product: { dimensions: { size: 'small', weight: 0.5 } },
      });
    },
  },
  {
    name: '@include and @skip with variables on fields, an inline fragment and entity fields (included)',
    query: `query Conditional($withReviews: Boolean!, $skipPrice: Boolean!) {
      topProducts(first: 2) { name price @skip(if: $skipPrice) reviews @include(if: $withReviews) { rating } ... on Product @include(if: $withReviews) { shippingEstimate } } }`,
    variables: { withReviews: true, skipPrice: true },
    check(body, calls) {
      expect(body.data.topProducts[0]).toEqual({ name: 'The Hobbit', reviews: [{ rating: 5 }, { rating: 3 }], shippingEstimate: 10 });
      expect(calls.reviews).toBe(1);
    },
  },
  {
    name: '@include and @skip with variables (excluded): the reviews subgraph is not called',
    query: `query Conditional($withReviews: Boolean!, $skipPrice: Boolean!) {
      topProducts(first: 2) { name price @skip(if: $skipPrice) reviews @include(if: $withReviews) { rating } ... on Product @include(if: $withReviews) { shippingEstimate } } }`,
    variables: { withReviews: false, skipPrice: false },
    check(body, calls) {
      expect(body.data.topProducts[0]).toEqual({ name: 'The Hobbit', price: 12 });
      expect(calls).toEqual({ catalog: 1, reviews: 0, people: 0 });
    },
  },
  {
    name: 'aliases: one field with different arguments, at the root and on an entity field of another subgraph',
    query: `{ hobbit: product(upc: "p1") { title: name good: reviews(minRating: 4) { id } all: reviews { id } } table: product(upc: "p2") { title: name } }`,
    check(body) {
      expect(body.data).toEqual({
        hobbit: { title: 'The Hobbit', good: [{ id: 'r1' }], all: [{ id: 'r1' }, { id: 'r2' }] },
        table: { title: 'Oak Table' },
      });
    },
  },
  {
    name: 'variables of input types: a nested input object, a list, an enum and a variable default',
    query: `query Filtered($filter: ProductFilter!, $first: Int = 2) { products(filter: $filter, first: $first) { upc category tags } }`,
    variables: { filter: { tags: ['classic'], price: { min: 10 }, category: null } },
    check(body) {
      expect(body.data.products).toEqual([
        { upc: 'p1', category: 'BOOKS', tags: ['fantasy', 'classic'] },
        { upc: 'p3', category: 'TOYS', tags: ['outdoor', 'classic'] },
      ]);
    },
  },
  {
    name: 'a mutation taking an input object (with a field default), then entity fields from the other subgraphs',
    query: `mutation Preview($input: ReviewInput!) { previewReview(input: $input) { id body rating product { name shippingEstimate } author { username name } } }`,
    variables: { input: { productUpc: 'p1', body: 'Lovely', rating: 4 } },
    check(body) {
      expect(body.data.previewReview).toEqual({
        id: 'preview-p1',
        body: 'Lovely []',
        rating: 4,
        product: { name: 'The Hobbit', shippingEstimate: 10 },
        author: { username: 'ada', name: 'Ada Lovelace' },
      });
    },
  },
  {
    name: 'a mutation error with extensions on a non-null root field: data is null',
    query: `mutation Preview($input: ReviewInput!) { previewReview(input: $input) { id } }`,
    variables: { input: { productUpc: 'p1', body: 'Great', rating: 9, tags: ['x'] } },
    check(body) {
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        message: 'rating must be between 1 and 5',
        path: ['previewReview'],
        extensions: { code: 'BAD_USER_INPUT', field: 'rating', given: 9 },
      });
    },
  },
  {
    name: 'a subgraph error with extensions on a nullable root field, next to one that succeeds',
    query: `{ bad: product(upc: "x-1") { name } ok: product(upc: "p2") { name } }`,
    check(body) {
      expect(body.data).toEqual({ bad: null, ok: { name: 'Oak Table' } });
      expect(body.errors[0]).toMatchObject({
        path: ['bad'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'upc', reason: { pattern: 'p<digits>' } },
      });
    },
  },
  {
    name: 'a nullable field that errors in its owning subgraph: null there, the rest intact',
    query: `{ products(filter: { category: FURNITURE }) { upc discontinuedNote } }`,
    check(body) {
      expect(body.data.products).toEqual([
        { upc: 'p2', discontinuedNote: null },
        { upc: 'p4', discontinuedNote: null },
      ]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        path: ['products', 1, 'discontinuedNote'],
        extensions: { code: 'ARCHIVED', retryable: false },
      });
    },
  },
  {
    name: 'a non-null field that errors: null propagates to the nearest nullable parent (a list item)',
    query: `{ topProducts(first: 4) { upc sku } }`,
    check(body) {
      expect(body.data.topProducts).toEqual([{ upc: 'p1', sku: 'SKU-1' }, { upc: 'p2', sku: 'SKU-2' }, null, { upc: 'p4', sku: 'SKU-4' }]);
      expect(body.errors[0]).toMatchObject({ path: ['topProducts', 2, 'sku'], extensions: { code: 'SKU_UNAVAILABLE', upc: 'p3' } });
    },
  },
  {
    name: 'a non-null field that errors under non-null parents only: data is null',
    query: `{ products { upc sku } }`,
    check(body) {
      expect(body.data).toBeNull();
      expect(codes(body)).toEqual(['SKU_UNAVAILABLE']);
    },
  },
  {
    name: 'a non-null field that errors in an entity fetch: the gateway nulls the entity (a nullable list item)',
    query: `{ topProducts(first: 4) { upc name ratingSummary } }`,
    check(body, calls) {
      expect(body.data.topProducts[0]).toEqual({ upc: 'p1', name: 'The Hobbit', ratingSummary: '4.0 from 2' });
      expect(body.data.topProducts[3]).toBeNull();
      expect(codes(body)).toEqual(['NO_REVIEWS']);
      expect(calls.reviews).toBe(1);
    },
  },
  {
    name: 'a non-null field that errors in an entity fetch under a non-null parent: null climbs two levels',
    query: `{ review(id: "r4") { body product { name sku } } other: review(id: "r3") { body product { name sku } } }`,
    check(body) {
      expect(body.data.review).toBeNull();
      expect(body.data.other).toEqual({ body: 'Sturdy', product: { name: 'Oak Table', sku: 'SKU-2' } });
      expect(codes(body)).toEqual(['SKU_UNAVAILABLE']);
    },
  },
  {
    name: 'introspection of the API schema: __typename and the entity interface with its added field',
    query: `{ __typename media: __type(name: "Media") { kind possibleTypes { name } fields { name } } feed: __type(name: "FeedItem") { possibleTypes { name } } }`,
    check(body, calls) {
      expect(body.data.__typename).toBe('Query');
      expect(body.data.media.possibleTypes.map((t: any) => t.name).sort()).toEqual(['Book', 'Movie']);
      expect(body.data.media.fields.map((f: any) => f.name)).toEqual(['id', 'title', 'reviewCount']);
      expect(body.data.feed.possibleTypes.map((t: any) => t.name).sort()).toEqual(['Product', 'Review', 'User']);
      expect(calls).toEqual({ catalog: 0, reviews: 0, people: 0 });
    },
  },
  {
    name: 'a required variable not provided: refused before any subgraph is called',
    query: `query One($upc: ID!) { product(upc: $upc) { name } }`,
    check(body, calls) {
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      expect(body.data).toBeUndefined();
      expect(calls).toEqual({ catalog: 0, reviews: 0, people: 0 });
    },
  },
  {
    name: 'a syntax error: refused before any subgraph is called',
    query: `{ topProducts { upc `,
    check(body, calls) {
      expect(codes(body)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(calls).toEqual({ catalog: 0, reviews: 0, people: 0 });
    },
  },
  {
    name: 'several operations and no operation name',
    query: `query A { __typename } query B { users { id } }`,
    check(body, calls) {
      expect(body.errors[0].message).toBe('Must provide operation name if query contains multiple operations.');
      expect(calls).toEqual({ catalog: 0, reviews: 0, people: 0 });
    },
  },
];

let fixture: FixtureGraph;
let ours: FastifyInstance;
let oursUrl: string;
let plain: PlainGateway;
let headers: Record<string, string>;

beforeAll(async () => {
  fixture = await startFixtureGraph();
  const keys = await testKeys();
  ours = await buildGateway({
    supergraphSdl: fixture.supergraphSdl,
    // As gateway/main.ts does for SUPERGRAPH_FILE: the URLs the supergraph names (no *_URL variables set here).
    subgraphUrls: subgraphUrlsFromSupergraph(fixture.supergraphSdl, {}),
    tokenVerifier: keys.security.tokenVerifier,
    internalContextKey: keys.security.internalContextKey,
    clock: testClock(),
    accessEnforcement: false,
    audit: () => undefined,
  });
  await ours.listen({ host: '127.0.0.1', port: 0 });
  oursUrl = `http://127.0.0.1:${(ours.server.address() as AddressInfo).port}/graphql`;
  plain = await startPlainGateway({
    supergraphSdl: fixture.supergraphSdl,
    subgraphUrls: fixture.subgraphUrls,
    internalContextKey: keys.security.internalContextKey,
  });
  headers = { authorization: `Bearer ${await keys.token(ACTOR)}` };
});

afterAll(async () => {
  await ours?.close();
  await plain?.stop();
  await fixture?.stop();
});

/** Sends one request and counts the subgraph calls it caused (requests run one at a time). */
async function measured(send: () => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; calls: Calls }> {
  const before = fixture.requestCounts();
  const answer = await send();
  const after = fixture.requestCounts();
  return { answer, calls: Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - before[name]])) };
}

describe('federation on a fixture supergraph: ours (enforcement off) and plain @apollo/gateway', () => {
  it('the fixture composes and names each fixture subgraph at its real URL', () => {
    expect(subgraphUrlsFromSupergraph(fixture.supergraphSdl, {})).toEqual(fixture.subgraphUrls);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('answers identically: %s', async (_name, { query, variables, check }) => {
    const theirs = await measured(() => postGraphQL(plain.url, { query, variables }));
    const mine = await measured(() => postGraphQL(oursUrl, { query, variables }, headers));
    expect({ status: mine.answer.status, body: withoutStackTraces(mine.answer.body) }).toEqual({
      status: theirs.answer.status,
      body: withoutStackTraces(theirs.answer.body),
    });
    // The same plan: each subgraph called as often by both.
    expect(mine.calls).toEqual(theirs.calls);
    check(mine.answer.body, mine.calls);
  });

  // Ours sets hideSchemaDetailsFromClientErrors and ApolloServerPluginDisableSuggestions (build-gateway.ts): validation
  // errors lose their "Did you mean …" suffix, and only that. Deliberate, listed here rather than normalised away.
  it.each([
    ['an unknown field', '{ topProducts { nme } }', 'Cannot query field "nme" on type "Product".', ' Did you mean "name"?'],
    [
      'an unknown enum value',
      '{ products(filter: { category: BOOK }) { upc } }',
      'Value "BOOK" does not exist in "Category" enum.',
      ' Did you mean the enum value "BOOKS"?',
    ],
  ])('differs only where ours hides schema details: %s gets no suggestion', async (_name, query, message, suggestion) => {
    const mine = await postGraphQL(oursUrl, { query }, headers);
    const theirs = await postGraphQL(plain.url, { query });
    expect(theirs.body.errors[0].message).toBe(message + suggestion);
    expect(mine.status).toBe(theirs.status);
    const expected = withoutStackTraces(theirs.body);
    expect(withoutStackTraces(mine.body)).toEqual({ errors: [{ ...expected.errors[0], message }] });
  });
});

describe('a subgraph that answers HTTP 503', () => {
  it('fails its fields alike in both, the other subgraphs still answer, and only ours hides the subgraph URL and body and names the subgraph', async () => {
    const request = { query: `query Probe($probe: String) { health(probe: $probe) users { id } }`, variables: { probe: OUTAGE_PROBE } };
    const theirs = await measured(() => postGraphQL(plain.url, request));
    const mine = await measured(() => postGraphQL(oursUrl, request, headers));
    expect(mine.calls).toEqual(theirs.calls);
    expect(mine.calls).toMatchObject({ catalog: 1, people: 1 });
    expect(mine.answer.body.data).toEqual({ health: null, users: [{ id: 'u1' }, { id: 'u2' }] });
    // Plain hands the caller the subgraph's internal URL and response body, coded INTERNAL_SERVER_ERROR and unnamed; ours
    // says which subgraph is unavailable (gateway/subgraph-failure.ts), and nothing of where it lives.
    const theirError = withoutStackTraces(theirs.answer.body).errors[0];
    expect(theirError.extensions.response.url).toBe(fixture.subgraphUrls.catalog);
    expect(theirError.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(theirError.extensions.serviceName).toBeUndefined();
    expect(mine.answer.status).toBe(theirs.answer.status);
    expect(withoutStackTraces(mine.answer.body)).toEqual({
      ...withoutStackTraces(theirs.answer.body),
      errors: [
        {
          message: 'The catalog subgraph is unavailable, so its part of the answer is missing; retry later',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'catalog' },
        },
      ],
    });
    expect(JSON.stringify(mine.answer.body)).not.toContain('127.0.0.1');
  });
});

describe('a foreign supergraph with enforcement on', () => {
  it('is refused at startup with a message naming ACCESS=off, not served and not hung (fail closed, loudly)', async () => {
    const keys = await testKeys();
    await expect(
      buildGateway({
        supergraphSdl: fixture.supergraphSdl,
        subgraphUrls: fixture.subgraphUrls,
        tokenVerifier: keys.security.tokenVerifier,
        internalContextKey: keys.security.internalContextKey,
        clock: testClock(),
        audit: () => undefined,
      }),
    ).rejects.toThrow(/carries no @access rules.*ACCESS=off/);
  });
});
