import { LIMITS_TARGET_SCENARIOS, type TargetId } from './report';
import { GATEWAY_BOUND_ID } from './gateway-bound/scenario';

/** The gateways, each run in a process of its own. */
export type GatewayTargetId = Exclude<TargetId, 'direct'>;
export const GATEWAY_TARGETS: readonly GatewayTargetId[] = ['ours', 'ours-off', 'ours-nolimits', 'plain', 'hive', 'hive-rust'];
/** The gateway-bound scenario's targets (issue 17): the limits' price is measured elsewhere. */
export const GATEWAY_BOUND_TARGETS: readonly GatewayTargetId[] = ['ours', 'ours-off', 'plain', 'hive', 'hive-rust'];

/**
 * The targets a scenario runs on, in the order they are interleaved. The registration part of (a) exists only to
 * compare a gateway with the direct subgraph call, so it runs on ours, the baseline (for ratios) and the subgraph.
 */
export function targetsFor(
  scenario: { id: string; directSubgraph?: string },
  chosen: readonly GatewayTargetId[] = GATEWAY_TARGETS,
): TargetId[] {
  if (scenario.directSubgraph) return (['ours', 'plain', 'direct'] as TargetId[]).filter((t) => t === 'direct' || chosen.includes(t));
  if (scenario.id === GATEWAY_BOUND_ID) return GATEWAY_BOUND_TARGETS.filter((t) => chosen.includes(t));
  // Hive with the Rust planner is measured where the gateway alone is loaded (gateway-bound) only.
  // LIMITS=off exists to price the limits on (a) and (e) (issue 11); elsewhere it would only lengthen the run.
  return GATEWAY_TARGETS.filter(
    (t) => chosen.includes(t) && t !== 'hive-rust' && (t !== 'ours-nolimits' || LIMITS_TARGET_SCENARIOS.includes(scenario.id)),
  );
}

/** Targets ours runs as: the same gateway process with different switches. */
export function isOurs(target: TargetId): target is 'ours' | 'ours-off' | 'ours-nolimits' {
  return target === 'ours' || target === 'ours-off' || target === 'ours-nolimits';
}
