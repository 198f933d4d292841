import { badUserInput, Reason } from '../../core';
import type { SubgraphContext } from '../kit/subgraph';
import {
  decodeFeedCursor,
  encodeFeedCursor,
  laterPositions,
  type FeedMessage,
  type FeedPage,
  type FeedPositions,
} from '../kit/message-feed';

// The `messages` root field lives here, and only here: a federated root field has one owner. Registration is the hub
// the market's process messages pass through (the Registration Service relays IF-032, IF-033, IF-035), and it reads the
// other subgraphs' outboxes on the caller's behalf, never copying them (README "Messages").

export const MAX_MESSAGE_PAGE = 500;

type Context = SubgraphContext<unknown>;

/** The subgraphs whose outboxes make up the feed: those a cursor may name. */
const sourcesOf = (ctx: Context) => ctx.messageFeed.sources;

/** The caller's acknowledged positions (empty: from the start). */
async function acknowledgedPositions(ctx: Context): Promise<FeedPositions> {
  const [row] = await ctx.db.query<{ positions: FeedPositions }>(
    'SELECT positions FROM registration.message_acknowledgement WHERE participant_id = $1 AND role = $2',
    [ctx.caller.participant, ctx.caller.role],
  );
  return row?.positions ?? {};
}

/** One page of the caller's messages after `after`, or after its acknowledged position. */
export async function readMessages(args: { first: number; after?: string | null }, ctx: Context): Promise<FeedPage> {
  if (!Number.isSafeInteger(args.first) || args.first < 1 || args.first > MAX_MESSAGE_PAGE) {
    throw badUserInput(Reason.INVALID_PAGE_SIZE, `messages: first must be between 1 and ${MAX_MESSAGE_PAGE}, got ${args.first}`);
  }
  const after = args.after ? decodeFeedCursor(args.after, sourcesOf(ctx)) : await acknowledgedPositions(ctx);
  return ctx.messageFeed.read(after, args.first);
}

/** Records the caller's acknowledged position: the later of the stored one and `cursor`, per subgraph. */
export async function acknowledgeMessages(cursor: string, ctx: Context): Promise<{ cursor: string; acknowledgedAt: Date }> {
  const positions = decodeFeedCursor(cursor, sourcesOf(ctx));
  const { participant, role } = ctx.caller;
  return ctx.db.transaction(async (tx) => {
    const [stored] = await tx.query<{ positions: FeedPositions }>(
      `INSERT INTO registration.message_acknowledgement (participant_id, role, positions, acknowledged_at) VALUES ($1, $2, '{}', $3)
       ON CONFLICT (participant_id, role) DO UPDATE SET participant_id = EXCLUDED.participant_id
       RETURNING positions`,
      [participant, role, ctx.now],
    );
    const later = laterPositions(stored.positions, positions);
    await tx.query(
      'UPDATE registration.message_acknowledgement SET positions = $3, acknowledged_at = $4 WHERE participant_id = $1 AND role = $2',
      [participant, role, JSON.stringify(later), ctx.now],
    );
    return { cursor: encodeFeedCursor(later), acknowledgedAt: ctx.now };
  });
}

export const messageResolvers = {
  MessageConnection: {
    pageInfo: (page: FeedPage) => ({ endCursor: page.endCursor, hasNextPage: page.hasNextPage }),
  },
  Message: {
    payload: (message: FeedMessage) => JSON.stringify(message.payload),
  },
};
