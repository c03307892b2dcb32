/**
 * Modals: trigger ids (single use, three-second life) and the stack of open views per person.
 * "trigger_id … expire in three seconds", "may only be used once" [D-INTER]; a modal stack holds at
 * most 3 views [D-MODAL]. Time comes from the injected clock.
 */
import type { EmulatorState } from './emulator-state.ts';
import { randomHex } from './id-source.ts';
import type { Trigger, View, Workspace } from './model.ts';

export const TRIGGER_LIFETIME_MS = 3_000;
/** "Currently the limit is 3" views in a stack [REF views.push]. */
export const VIEW_STACK_LIMIT = 3;

export function issueTrigger(state: EmulatorState, teamId: string, userId: string): Trigger {
  const trigger: Trigger = { id: state.ids.triggerId(state.now()), teamId, userId, issuedAt: state.now(), used: false };
  state.triggers.set(trigger.id, trigger);
  return trigger;
}

export type TriggerProblem = 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

/** Spends a trigger id, with the method reference's error names (§11.1 of the platform sheet). */
export function useTrigger(state: EmulatorState, teamId: string, triggerId: string): Trigger | { error: TriggerProblem } {
  const trigger = state.triggers.get(triggerId);
  if (!trigger || trigger.teamId !== teamId) return { error: 'invalid_trigger_id' };
  if (trigger.used) return { error: 'exchanged_trigger_id' };
  if (state.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return { error: 'expired_trigger_id' };
  trigger.used = true;
  return trigger;
}

function newHash(state: EmulatorState): string {
  return `${state.nowSeconds()}.${randomHex(4)}`;
}

export interface ViewOwner {
  appId: string;
  botId: string;
}

function createView(state: EmulatorState, ws: Workspace, owner: ViewOwner, userId: string, body: Record<string, unknown>, rootViewId: string | null, previousViewId: string | null): View {
  const id = state.ids.next('V');
  const view: View = {
    id,
    teamId: ws.id,
    appId: owner.appId,
    botId: owner.botId,
    userId,
    type: String(body.type),
    body,
    externalId: typeof body.external_id === 'string' ? body.external_id : '',
    hash: newHash(state),
    rootViewId: rootViewId ?? id,
    previousViewId,
    closed: false,
  };
  ws.views.set(id, view);
  return view;
}

/** An open view with this external_id in the workspace (external ids are unique per team [REF views.update]). */
export function findViewByExternalId(ws: Workspace, externalId: string): View | undefined {
  for (const v of ws.views.values()) if (!v.closed && v.externalId === externalId) return v;
  return undefined;
}

/** views.open: a new modal replaces whatever stack the person had open. */
export function openView(state: EmulatorState, ws: Workspace, owner: ViewOwner, userId: string, body: Record<string, unknown>): View {
  closeViews(state, ws, userId);
  const view = createView(state, ws, owner, userId, body, null, null);
  ws.viewStacks.set(userId, [view.id]);
  state.changed();
  return view;
}

export function pushView(state: EmulatorState, ws: Workspace, owner: ViewOwner, userId: string, body: Record<string, unknown>): View | { error: 'not_found' | 'push_limit_reached' } {
  const stack = ws.viewStacks.get(userId);
  if (!stack || stack.length === 0) return { error: 'not_found' };
  if (stack.length >= VIEW_STACK_LIMIT) return { error: 'push_limit_reached' };
  const top = stack[stack.length - 1];
  const view = createView(state, ws, owner, userId, body, stack[0], top);
  stack.push(view.id);
  state.changed();
  return view;
}

export function updateView(state: EmulatorState, view: View, body: Record<string, unknown>): View {
  view.body = body;
  view.type = String(body.type);
  view.externalId = typeof body.external_id === 'string' ? body.external_id : view.externalId;
  view.hash = newHash(state);
  state.changed();
  return view;
}

/** Closes every view a person has open (the interactivity issue closes them on submit / cancel). */
export function closeViews(state: EmulatorState, ws: Workspace, userId: string): void {
  for (const id of ws.viewStacks.get(userId) ?? []) {
    const v = ws.views.get(id);
    if (v) v.closed = true;
  }
  ws.viewStacks.delete(userId);
}
