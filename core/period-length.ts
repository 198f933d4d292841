/** Settlement period lengths in minutes: 30 today, 15 for future settlement (PRI-015). Never assume 48 a day. */
export const SETTLEMENT_PERIOD_MINUTES: readonly number[] = [15, 30];
