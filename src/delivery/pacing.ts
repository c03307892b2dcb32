/**
 * Pacing rules as the database function take_pacing_slots() applies them (sql/003_delivery.sql):
 * a GCRA bucket per destination and one per Slack workspace. An interval is the spacing between
 * messages; the tolerance is how far ahead of that spacing a burst may run.
 */
import type { DeliveryConfig } from '../config.ts';

export interface PacingRules {
  destination: { intervalMs: number; toleranceMs: number };
  workspace: { intervalMs: number; toleranceMs: number };
}

export function pacingRules(config: DeliveryConfig): PacingRules {
  const destinationInterval = 1000 / config.perDestinationPerSecond;
  const workspaceInterval = 60_000 / config.perWorkspacePerMinute;
  return {
    destination: { intervalMs: destinationInterval, toleranceMs: destinationInterval * (config.perDestinationBurst - 1) },
    workspace: { intervalMs: workspaceInterval, toleranceMs: workspaceInterval * (config.perWorkspaceBurst - 1) },
  };
}

export function bucketKeys(destinationId: string, teamId: string | null): string[] {
  return teamId ? [`dst:${destinationId}`, `team:${teamId}`] : [`dst:${destinationId}`];
}
