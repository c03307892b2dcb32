/**
 * views.open, views.push and views.update [REF][D-MODAL]. A trigger_id is single-use and lives three
 * seconds (invalid_trigger_id / expired_trigger_id / exchanged_trigger_id, the method reference's
 * names, sheet §11.1); push needs an open modal and stops at 3 views (push_limit_reached); update
 * finds the view by view_id or external_id and rejects a stale `hash` (hash_conflict). Views are
 * checked with the shared Block Kit validator; problems answer invalid_arguments with each problem
 * and its pointer under /view, e.g. "missing required field: title".
 */
import { formatSlackErrors } from '../../../src/slack/block-kit/format-slack-errors.ts';
import { validateView } from '../../../src/slack/block-kit/validate-view.ts';
import type { View, Workspace } from '../../state/model.ts';
import { findViewByExternalId, openView, pushView, updateView, useTrigger, type ViewOwner } from '../../state/view-store.ts';
import { callerWorkspace } from '../resolve-channel.ts';
import { invalidArguments, SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, type MethodContext, type WebApiMethod } from '../web-api-method.ts';

/** "view_too_large (>250 kb)" [REF views.*]. */
export const MAX_VIEW_BYTES = 250 * 1024;

function readView(ctx: MethodContext): Record<string, unknown> {
  const parsed = ctx.args.json('view');
  if (!parsed) throw invalidArguments('missing required field: view');
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw invalidArguments('failed to parse view [json-pointer:/view]');
  }
  const view = parsed.value as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) throw new SlackApiError('view_too_large');
  const problems = validateView(view, '/view');
  if (view.type === 'home') problems.push({ path: '/view/type', message: 'home views are published with views.publish, not opened as modals' });
  if (problems.length) throw new SlackApiError('invalid_arguments', { response_metadata: formatSlackErrors(problems).response_metadata });
  return view;
}

function assertExternalIdFree(ws: Workspace, view: Record<string, unknown>, except?: View): void {
  if (typeof view.external_id !== 'string') return;
  const existing = findViewByExternalId(ws, view.external_id);
  if (existing && existing !== except) throw new SlackApiError('duplicate_external_id');
}

function owner(ctx: MethodContext): ViewOwner {
  const inst = ctx.grant.installation;
  return { appId: ctx.grant.app.id, botId: inst?.botId ?? '' };
}

function spendTrigger(ctx: MethodContext, ws: Workspace): string {
  const triggerId = ctx.args.string('trigger_id') ?? ctx.args.string('interactivity_pointer');
  if (!triggerId) throw invalidArguments('invalid `trigger_id`');
  const trigger = useTrigger(ctx.state, ws.id, triggerId);
  if ('error' in trigger) throw new SlackApiError(trigger.error);
  return trigger.userId;
}

export function viewJson(view: View): Record<string, unknown> {
  const b = view.body;
  return {
    id: view.id,
    team_id: view.teamId,
    type: view.type,
    blocks: b.blocks ?? [],
    private_metadata: b.private_metadata ?? '',
    callback_id: b.callback_id ?? '',
    state: { values: {} },
    hash: view.hash,
    title: b.title ?? null,
    clear_on_close: b.clear_on_close ?? false,
    notify_on_close: b.notify_on_close ?? false,
    close: b.close ?? null,
    submit: b.submit ?? null,
    previous_view_id: view.previousViewId,
    root_view_id: view.rootViewId,
    app_id: view.appId,
    external_id: view.externalId,
    app_installed_team_id: view.teamId,
    bot_id: view.botId,
  };
}

/** views.open and views.push: the view to show, its external_id free, and the trigger it spends. */
function newViewRequest(ctx: MethodContext) {
  const ws = callerWorkspace(ctx);
  const body = readView(ctx);
  assertExternalIdFree(ws, body);
  return { ws, body, userId: spendTrigger(ctx, ws) };
}

export const viewsOpen: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const { ws, body, userId } = newViewRequest(ctx);
    return { view: viewJson(openView(ctx.state, ws, owner(ctx), userId, body)) };
  },
};

export const viewsPush: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const { ws, body, userId } = newViewRequest(ctx);
    const view = pushView(ctx.state, ws, owner(ctx), userId, body);
    if ('error' in view) throw new SlackApiError(view.error);
    return { view: viewJson(view) };
  },
};

export const viewsUpdate: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const viewId = ctx.args.string('view_id');
    const externalId = ctx.args.string('external_id');
    if (!viewId && !externalId) throw invalidArguments('must provide view_id or external_id');
    const body = readView(ctx);
    const view = viewId ? ws.views.get(viewId) : findViewByExternalId(ws, externalId as string);
    if (!view || view.closed || view.appId !== ctx.grant.app.id) throw new SlackApiError('not_found');
    const hash = ctx.args.string('hash');
    if (hash && hash !== view.hash) throw new SlackApiError('hash_conflict');
    assertExternalIdFree(ws, body, view);
    return { view: viewJson(updateView(ctx.state, view, body)) };
  },
};
