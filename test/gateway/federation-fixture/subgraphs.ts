import { GraphQLError, parse, type DocumentNode } from 'graphql';

/**
 * A small federated graph that exercises what the project's own schema does not: @requires with @external, @provides,
 * an entity interface (@key on an interface, @interfaceObject in another subgraph), a plain interface, a union of
 * entities from three subgraphs, @shareable value types, input types, a mutation, and fields that fail (nullable and
 * non-null, at the root and inside entity fetches, with extensions). Test fixture only: the data is in memory.
 *
 *   catalog  Product @key(upc) (price, dimensions, sku …), Media @key(id) interface with Book and Movie
 *   people   User @key(id) (username @shareable, name, contacts: [Contact] plain interface, location)
 *   reviews  Review, User.reviews, Product.reviews/shippingEstimate (@requires)/ratingSummary, Media @interfaceObject,
 *            union FeedItem = Review | Product | User, Mutation.previewReview(input)
 */
export interface FixtureSubgraph {
  name: string;
  typeDefs: DocumentNode;
  resolvers: Record<string, any>;
}

const FEDERATION =
  '@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject"])';

export const PRODUCTS = [
  {
    upc: 'p1',
    name: 'The Hobbit',
    price: 12,
    category: 'BOOKS',
    dimensions: { size: 'small', weight: 0.5 },
    tags: ['fantasy', 'classic'],
    sku: 'SKU-1',
  },
  {
    upc: 'p2',
    name: 'Oak Table',
    price: 250,
    category: 'FURNITURE',
    dimensions: { size: 'large', weight: 30 },
    tags: ['wood'],
    sku: 'SKU-2',
  },
  // Its sku (String!) fails: the error nulls the nearest nullable parent.
  {
    upc: 'p3',
    name: 'Kite',
    price: 20,
    category: 'TOYS',
    dimensions: { size: 'medium', weight: 1.2 },
    tags: ['outdoor', 'classic'],
    sku: null,
  },
  // No dimensions: the @requires field cannot be computed (nullable error). No reviews: ratingSummary (String!) fails.
  { upc: 'p4', name: 'Chair', price: 80, category: 'FURNITURE', dimensions: null, tags: [], sku: 'SKU-4' },
] as const;

export const MEDIA = [
  { __typename: 'Book', id: 'b1', title: 'Dune', author: 'Frank Herbert', pages: 412 },
  { __typename: 'Movie', id: 'm1', title: 'Arrival', director: 'Denis Villeneuve', minutes: 116 },
  { __typename: 'Book', id: 'b2', title: 'Emma', author: 'Jane Austen', pages: 474 },
] as const;

export const USERS = [
  {
    id: 'u1',
    username: 'ada',
    name: 'Ada Lovelace',
    location: { city: 'London', country: 'GB' },
    contacts: [
      { __typename: 'EmailContact', label: 'work', email: 'ada@example.org' },
      { __typename: 'PhoneContact', label: 'mobile', number: '+44 7700 900001' },
    ],
  },
  {
    id: 'u2',
    username: 'alan',
    name: 'Alan Turing',
    location: null,
    contacts: [{ __typename: 'PhoneContact', label: 'home', number: '+44 7700 900002' }],
  },
] as const;

// u-ghost is unknown to people: its entity fetch answers null.
export const REVIEWS = [
  {
    id: 'r1',
    productUpc: 'p1',
    authorId: 'u1',
    authorUsername: 'ada',
    rating: 5,
    body: 'A classic',
    location: { city: 'Oxford', country: 'GB' },
  },
  { id: 'r2', productUpc: 'p1', authorId: 'u2', authorUsername: 'alan', rating: 3, body: 'Too long', location: null },
  {
    id: 'r3',
    productUpc: 'p2',
    authorId: 'u1',
    authorUsername: 'ada',
    rating: 4,
    body: 'Sturdy',
    location: { city: 'Leeds', country: 'GB' },
  },
  { id: 'r4', productUpc: 'p3', authorId: 'u-ghost', authorUsername: 'ghost', rating: 2, body: 'Broke in the wind', location: null },
] as const;

export const MEDIA_REVIEW_COUNTS: Record<string, number> = { b1: 2, m1: 1 };

/** What reviews computes from catalog's price and dimensions.weight (@requires): free from 100, else 5 + 10 per kg. */
export function expectedShippingEstimate(price: number, weight: number): number {
  return price >= 100 ? 0 : 5 + Math.round(weight * 10);
}

/** The value the outage probe carries; the fixture server answers HTTP 503 to any request containing it. */
export const OUTAGE_PROBE = 'SIMULATE_OUTAGE_503';

const catalog: FixtureSubgraph = {
  name: 'catalog',
  typeDefs: parse(`
    extend schema ${FEDERATION}

    enum Category { BOOKS FURNITURE TOYS }

    type Dimensions @shareable { size: String! weight: Float! }

    type Product @key(fields: "upc") {
      upc: ID!
      name: String!
      price: Int!
      category: Category!
      dimensions: Dimensions
      tags: [String!]!
      sku: String!
      discontinuedNote: String
    }

    interface Media @key(fields: "id") { id: ID! title: String! }
    type Book implements Media @key(fields: "id") { id: ID! title: String! author: String! pages: Int! }
    type Movie implements Media @key(fields: "id") { id: ID! title: String! director: String! minutes: Int! }

    input PriceRange { min: Int max: Int }
    input ProductFilter { category: Category price: PriceRange tags: [String!] nameContains: String }

    type Query {
      product(upc: ID!): Product
      products(filter: ProductFilter, first: Int = 10): [Product!]!
      topProducts(first: Int = 3): [Product]
      media: [Media!]!
      health(probe: String): String
    }
  `),
  resolvers: {
    Query: {
      product: (_: unknown, { upc }: { upc: string }) => {
        if (!/^p\d+$/.test(upc))
          throw new GraphQLError(`"${upc}" is not a product code`, {
            extensions: { code: 'BAD_USER_INPUT', argument: 'upc', reason: { pattern: 'p<digits>' } },
          });
        return PRODUCTS.find((p) => p.upc === upc) ?? null;
      },
      products: (_: unknown, { filter, first }: { filter?: any; first: number }) =>
        PRODUCTS.filter(
          (p) =>
            (!filter?.category || p.category === filter.category) &&
            (filter?.price?.min == null || p.price >= filter.price.min) &&
            (filter?.price?.max == null || p.price <= filter.price.max) &&
            (!filter?.tags || filter.tags.every((t: string) => (p.tags as readonly string[]).includes(t))) &&
            (!filter?.nameContains || p.name.toLowerCase().includes(String(filter.nameContains).toLowerCase())),
        ).slice(0, first),
      topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
      media: () => MEDIA,
      health: () => 'ok',
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null,
      sku: (p: (typeof PRODUCTS)[number]) => {
        if (p.sku === null)
          throw new GraphQLError(`SKU register unavailable for ${p.upc}`, { extensions: { code: 'SKU_UNAVAILABLE', upc: p.upc } });
        return p.sku;
      },
      discontinuedNote: (p: (typeof PRODUCTS)[number]) => {
        if (p.upc === 'p4')
          throw new GraphQLError('discontinuation records are archived', { extensions: { code: 'ARCHIVED', retryable: false } });
        return null;
      },
    },
    Media: {
      __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null,
      __resolveType: (m: { __typename: string }) => m.__typename,
    },
    Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id && m.__typename === 'Book') ?? null },
    Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id && m.__typename === 'Movie') ?? null },
  },
};

const people: FixtureSubgraph = {
  name: 'people',
  typeDefs: parse(`
    extend schema ${FEDERATION}

    type Location @shareable { city: String! country: String! }

    interface Contact { label: String! }
    type EmailContact implements Contact { label: String! email: String! }
    type PhoneContact implements Contact { label: String! number: String! }

    type User @key(fields: "id") {
      id: ID!
      username: String! @shareable
      name: String
      location: Location
      contacts: [Contact!]!
    }

    type Query {
      user(id: ID!): User
      users: [User!]!
    }
  `),
  resolvers: {
    Query: {
      user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
      users: () => USERS,
    },
    User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null },
    Contact: { __resolveType: (c: { __typename: string }) => c.__typename },
  },
};

const reviews: FixtureSubgraph = {
  name: 'reviews',
  typeDefs: parse(`
    extend schema ${FEDERATION}

    type Location @shareable { city: String! country: String! }
    type Dimensions @shareable { size: String! weight: Float! }

    type Review @key(fields: "id") {
      id: ID!
      body: String!
      rating: Int!
      product: Product!
      author: User @provides(fields: "username")
      location: Location
    }

    type User @key(fields: "id") {
      id: ID!
      username: String! @external
      reviews: [Review!]!
    }

    type Product @key(fields: "upc") {
      upc: ID!
      price: Int! @external
      dimensions: Dimensions @external
      reviews(minRating: Int = 1): [Review!]!
      shippingEstimate: Int @requires(fields: "price dimensions { weight }")
      ratingSummary: String!
    }

    type Media @key(fields: "id") @interfaceObject {
      id: ID!
      reviewCount: Int!
    }

    union FeedItem = Review | Product | User

    input ReviewInput { productUpc: ID! body: String! rating: Int! tags: [String!] = [] }

    type Query {
      review(id: ID!): Review
      feed: [FeedItem!]!
      reviewedMedia: [Media!]!
    }

    type Mutation {
      previewReview(input: ReviewInput!): Review!
    }
  `),
  resolvers: {
    Query: {
      review: (_: unknown, { id }: { id: string }) => REVIEWS.find((r) => r.id === id) ?? null,
      feed: () => [
        { __typename: 'Review', ...REVIEWS[0] },
        { __typename: 'Product', upc: 'p2' },
        { __typename: 'User', id: 'u2' },
      ],
      reviewedMedia: () => Object.keys(MEDIA_REVIEW_COUNTS).map((id) => ({ id })),
    },
    Mutation: {
      previewReview: (_: unknown, { input }: { input: { productUpc: string; body: string; rating: number; tags: string[] } }) => {
        if (input.rating < 1 || input.rating > 5) {
          throw new GraphQLError('rating must be between 1 and 5', {
            extensions: { code: 'BAD_USER_INPUT', field: 'rating', given: input.rating },
          });
        }
        return {
          id: `preview-${input.productUpc}`,
          productUpc: input.productUpc,
          authorId: 'u1',
          authorUsername: 'ada',
          rating: input.rating,
          body: `${input.body} [${input.tags.join(',')}]`,
          location: null,
        };
      },
    },
    FeedItem: { __resolveType: (item: { __typename: string }) => item.__typename },
    Review: {
      __resolveReference: (ref: { id: string }) => REVIEWS.find((r) => r.id === ref.id) ?? null,
      product: (r: (typeof REVIEWS)[number]) => ({ upc: r.productUpc }),
      author: (r: (typeof REVIEWS)[number]) => ({ id: r.authorId, username: r.authorUsername }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (u: { id: string }) => REVIEWS.filter((r) => r.authorId === u.id),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (p: { upc: string }, { minRating }: { minRating: number }) =>
        REVIEWS.filter((r) => r.productUpc === p.upc && r.rating >= minRating),
      shippingEstimate: (p: { upc: string; price?: number; dimensions?: { weight: number } | null }) => {
        if (p.price === undefined || p.dimensions === undefined) {
          throw new GraphQLError(`@requires fields missing for ${p.upc}`, { extensions: { code: 'REQUIRES_NOT_SENT' } });
        }
        if (p.dimensions === null)
          throw new GraphQLError(`no dimensions for ${p.upc}`, { extensions: { code: 'MISSING_DIMENSIONS', upc: p.upc } });
        return expectedShippingEstimate(p.price, p.dimensions.weight);
      },
      ratingSummary: (p: { upc: string }) => {
        const ratings = REVIEWS.filter((r) => r.productUpc === p.upc).map((r) => r.rating);
        if (ratings.length === 0) throw new GraphQLError(`no reviews for ${p.upc}`, { extensions: { code: 'NO_REVIEWS', upc: p.upc } });
        return `${(ratings.reduce((a, b) => a + b, 0) / ratings.length).toFixed(1)} from ${ratings.length}`;
      },
    },
    Media: {
      __resolveReference: (ref: { id: string }) => ref,
      reviewCount: (m: { id: string }) => MEDIA_REVIEW_COUNTS[m.id] ?? 0,
    },
  },
};

export const FIXTURE_SUBGRAPHS: readonly FixtureSubgraph[] = [catalog, people, reviews];
