/**
 * Routing: which of a project's destinations want an event. A destination takes an event when it
 * is enabled, one of its subscriptions matches the event type, and its condition (if any) holds.
 * Destinations needing attention still take events: their queue is held, not dropped.
 */
import type { Queryable } from '../db/database.ts';
import { compileCondition, evaluateCondition, type Condition } from '../routing/condition.ts';
import { matchesSubscriptions } from '../routing/event-type-pattern.ts';

export interface Route {
  destinationId: string;
  subscriptions: string[];
  condition: Condition | null;
}

export interface RoutableEvent {
  type: string;
  severity: string;
  subject?: string | null;
  key?: string | null;
  data: unknown;
}

export async function loadRoutes(db: Queryable, projectId: string): Promise<Route[]> {
  const { rows } = await db.query<{ id: string; subscriptions: string[]; condition: string | null }>(
    'SELECT id, subscriptions, condition FROM destinations WHERE project_id = $1 AND enabled ORDER BY id',
    [projectId],
  );
  return rows.map((r) => ({
    destinationId: r.id,
    subscriptions: r.subscriptions,
    condition: r.condition ? compileCondition(r.condition) : null,
  }));
}

export function routeEvent(routes: readonly Route[], event: RoutableEvent): string[] {
  return routes
    .filter((r) => matchesSubscriptions(event.type, r.subscriptions) && (!r.condition || evaluateCondition(r.condition, event)))
    .map((r) => r.destinationId);
}
