/**
 * The event types Switchboard ships with, in three packs (approvals, gamification, ops). A project can
 * send these without defining anything; it may override one (e.g. its template) under the same name.
 */
import { APPROVAL_EVENT_TYPES } from './approvals-pack.ts';
import type { EventTypeDefinition } from './event-type-definition.ts';
import { GAMIFICATION_EVENT_TYPES } from './gamification-pack.ts';
import { OPS_EVENT_TYPES } from './ops-pack.ts';

export type { EventTypeDefinition, EventTypePack } from './event-type-definition.ts';
export { EVENT_TYPE_PACKS } from './event-type-definition.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// Frozen: callers share these objects (and rendering caches compiled templates per object).
export const BUILT_IN_EVENT_TYPES: readonly EventTypeDefinition[] = deepFreeze([
  ...APPROVAL_EVENT_TYPES,
  ...GAMIFICATION_EVENT_TYPES,
  ...OPS_EVENT_TYPES,
]);

const byName = new Map(BUILT_IN_EVENT_TYPES.map((definition) => [definition.name, definition]));

export function findBuiltInEventType(name: string): EventTypeDefinition | undefined {
  return byName.get(name);
}
