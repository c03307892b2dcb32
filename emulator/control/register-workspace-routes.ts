/**
 * Control API routes that build and break workspaces: workspaces, people, channels, apps and
 * installations, webhooks, token revocation, and reading what was posted. See docs/emulator.md
 * for every route with example bodies.
 */
import type { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { postDueScheduledMessages } from '../state/scheduled-messages.ts';
import { revokeToken } from '../state/tokens.ts';
import {
  addChannel,
  addUser,
  addWebhook,
  createApp,
  createWorkspace,
  deleteChannel,
  installApp,
  setChannelArchived,
  setWorkspaceDisabled,
  uninstallApp,
  type AppSpec,
  type ChannelSpec,
  type InstallSpec,
  type UserSpec,
  type WebhookSpec,
  type WorkspaceSpec,
} from '../state/workspace-setup.ts';
import { originOf } from '../web-api/register-web-api.ts';
import type { ControlDeps } from './control-deps.ts';
import { appParam, channelParam, readJsonBody, route, workspaceParam } from './control-http.ts';
import {
  appJson,
  channelJson,
  ephemeralJson,
  inspectMessageJson,
  installationJson,
  scheduledJson,
  userJsonForControl,
  webhookJson,
  workspaceJson,
} from './control-json.ts';

export const CONTROL_PREFIX = '/_emulator';

export function registerWorkspaceRoutes(app: Hono, deps: ControlDeps): void {
  const { state } = deps;
  const p = CONTROL_PREFIX;

  app.get(`${p}/workspaces`, route((c) => c.json({ workspaces: [...state.workspaces.values()].map((ws) => workspaceJson(state, ws, originOf(c))) })));

  app.post(
    `${p}/workspaces`,
    route(async (c) => {
      const ws = createWorkspace(state, await readJsonBody<WorkspaceSpec>(c));
      return c.json(workspaceJson(state, ws, originOf(c)), 201);
    }),
  );

  app.get(`${p}/workspaces/:team`, route((c) => c.json(workspaceJson(state, workspaceParam(state, c), originOf(c)))));

  app.patch(
    `${p}/workspaces/:team`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      const body = await readJsonBody<{ disabled?: unknown; name?: unknown }>(c);
      if (body.disabled !== undefined) {
        if (typeof body.disabled !== 'boolean') throw new ValidationError('disabled must be true or false');
        setWorkspaceDisabled(state, ws, body.disabled);
      }
      if (body.name !== undefined) {
        if (typeof body.name !== 'string' || !body.name) throw new ValidationError('name must be a non-empty string');
        ws.name = body.name;
        state.changed();
      }
      return c.json(workspaceJson(state, ws, originOf(c)));
    }),
  );

  app.post(
    `${p}/workspaces/:team/users`,
    route(async (c) => c.json(userJsonForControl(addUser(state, workspaceParam(state, c), await readJsonBody<UserSpec>(c))), 201)),
  );

  app.post(
    `${p}/workspaces/:team/channels`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      const ch = addChannel(state, ws, await readJsonBody<ChannelSpec>(c));
      return c.json(channelJson(ch, state.primaryInstallation(ws)?.botUserId), 201);
    }),
  );

  app.patch(
    `${p}/workspaces/:team/channels/:channel`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      const ch = channelParam(state, ws, c);
      const body = await readJsonBody<{ is_archived?: unknown; bot_member?: unknown }>(c);
      if (body.is_archived !== undefined) {
        if (typeof body.is_archived !== 'boolean') throw new ValidationError('is_archived must be true or false');
        setChannelArchived(state, ch, body.is_archived);
      }
      if (body.bot_member !== undefined) {
        const inst = state.primaryInstallation(ws);
        if (!inst) throw new ValidationError('no app is installed in this workspace');
        if (body.bot_member) ch.members.add(inst.botUserId);
        else ch.members.delete(inst.botUserId);
        state.changed();
      }
      return c.json(channelJson(ch, state.primaryInstallation(ws)?.botUserId));
    }),
  );

  app.delete(
    `${p}/workspaces/:team/channels/:channel`,
    route((c) => {
      const ws = workspaceParam(state, c);
      const ch = channelParam(state, ws, c);
      deleteChannel(state, ch);
      return c.json({ ok: true, id: ch.id });
    }),
  );

  app.get(
    `${p}/workspaces/:team/channels/:channel/messages`,
    route((c) => {
      postDueScheduledMessages(state);
      const ws = workspaceParam(state, c);
      const ch = channelParam(state, ws, c);
      return c.json({
        channel: channelJson(ch, state.primaryInstallation(ws)?.botUserId),
        messages: ch.timeline.filter((m) => !m.threadTs).map(inspectMessageJson),
        ephemeral: ch.ephemeral.map(ephemeralJson),
      });
    }),
  );

  app.get(
    `${p}/workspaces/:team/scheduled-messages`,
    route((c) => {
      postDueScheduledMessages(state);
      const ws = workspaceParam(state, c);
      const list = [...state.scheduled.values()].filter((m) => m.teamId === ws.id);
      return c.json({ scheduled_messages: list.map(scheduledJson) });
    }),
  );

  app.post(
    `${p}/workspaces/:team/webhooks`,
    route(async (c) => c.json(webhookJson(state, addWebhook(state, workspaceParam(state, c), await readJsonBody<WebhookSpec>(c)), originOf(c)), 201)),
  );

  app.get(
    `${p}/webhooks/:id`,
    route((c) => {
      const hook = state.webhooks.get(c.req.param('id') as string);
      if (!hook) throw new NotFoundError('webhook', c.req.param('id'));
      return c.json(webhookJson(state, hook, originOf(c)));
    }),
  );

  app.delete(
    `${p}/webhooks/:id`,
    route((c) => {
      const hook = state.webhooks.get(c.req.param('id') as string);
      if (!hook) throw new NotFoundError('webhook', c.req.param('id'));
      hook.removed = true;
      return c.json(webhookJson(state, hook, originOf(c)));
    }),
  );

  app.get(`${p}/apps`, route((c) => c.json({ apps: [...state.apps.values()].map(appJson) })));

  app.post(`${p}/apps`, route(async (c) => c.json(appJson(createApp(state, await readJsonBody<AppSpec>(c))), 201)));

  app.get(`${p}/apps/:app`, route((c) => c.json(appJson(appParam(state, c)))));

  app.post(
    `${p}/workspaces/:team/installations`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      const body = await readJsonBody<InstallSpec & { join_channels?: string[] }>(c);
      const inst = installApp(state, ws, body);
      for (const ref of body.join_channels ?? []) {
        const ch = state.findChannel(ws, ref) ?? ws.channels.get(ref);
        if (!ch) throw new NotFoundError('channel', ref);
        ch.members.add(inst.botUserId);
      }
      state.changed();
      return c.json(installationJson(state, inst), 201);
    }),
  );

  app.delete(
    `${p}/workspaces/:team/installations/:app`,
    route((c) => {
      const ws = workspaceParam(state, c);
      const target = appParam(state, c);
      uninstallApp(state, ws, target.id);
      return c.json({ ok: true, app_id: target.id, team_id: ws.id });
    }),
  );

  app.post(
    `${p}/tokens/revoke`,
    route(async (c) => {
      const body = await readJsonBody<{ token?: unknown }>(c);
      if (typeof body.token !== 'string') throw new ValidationError('token is required');
      if (!state.tokens.has(body.token)) throw new NotFoundError('token');
      return c.json({ ok: true, revoked: revokeToken(state, body.token) });
    }),
  );
}
