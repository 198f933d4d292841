/**
 * Node (V8) flags the gateway process is run with: the Dockerfile's CMD and the bench's ours target use exactly these.
 *
 * Why: a deep query's plan makes a dozen or more subgraph calls, each answer parsed, merged and shaped into the result,
 * so every request leaves tens of kilobytes of short-lived objects. With V8's default young generation the scavenger
 * ran so often that, under the gateway-bound load (issue 17, BENCHMARKS.md), garbage collection was about a quarter of
 * the gateway's CPU; a 64 MB semi-space lets most of it die before it is ever copied. The price is memory: the young
 * generation may grow to a few times that, which peak RSS in BENCHMARKS.md shows.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
