/**
 * Demo mode (`npm start` with no Slack configured): makes sure a demo project exists with a
 * webhook destination and a channel destination in the emulator's workspace, and issues a fresh
 * demo API key. Safe to run at every start: the emulator's workspace is new each time, so the
 * connection and destinations are re-pointed at it.
 */
import type { AppContext } from '../app-context.ts';
import { createConnectionFromToken } from '../connections/connection-store.ts';
import { createDestination, listDestinations, updateDestination } from '../destinations/destination-store.ts';
import { createApiKey, createProject, listApiKeys, listProjects, revokeApiKey } from '../projects/project-store.ts';

/** What the emulator's control API says about a workspace (GET /_emulator/workspaces). */
export interface EmulatorWorkspace {
  team_id: string;
  name?: string;
  bot_token: string;
  channels: { id: string; name: string }[];
  webhooks: { url: string; channel_id: string }[];
}

export interface DemoProject {
  projectId: string;
  apiKey: string;
  destinations: { name: string; where: string }[];
}

const DEMO_KEY_NAME = 'demo key';

export async function prepareDemoProject(ctx: AppContext, workspace: EmulatorWorkspace): Promise<DemoProject> {
  const existing = (await listProjects(ctx.db)).find((p) => p.settings.demo === true);
  const projectId = existing?.id ?? (await createProject(ctx.db, { name: 'Demo project', settings: { demo: true } })).project.id;

  for (const key of await listApiKeys(ctx.db, projectId)) {
    if (key.name === DEMO_KEY_NAME && !key.revoked_at) await revokeApiKey(ctx.db, projectId, key.id);
  }
  const { key: apiKey } = await createApiKey(ctx.db, projectId, DEMO_KEY_NAME);

  const connection = await createConnectionFromToken(ctx.db, ctx.keyring, projectId, workspace.bot_token, ctx.config.slackApiUrl);
  const rules = { keyring: ctx.keyring, allowedWebhookOrigins: ctx.config.allowedWebhookOrigins };
  const current = await listDestinations(ctx.db, projectId);
  const channelName = (id: string) => workspace.channels.find((c) => c.id === id)?.name ?? id;

  const webhook = workspace.webhooks[0];
  const channel = workspace.channels.find((c) => c.name === 'deployments') ?? workspace.channels[0];
  const wanted = [
    webhook && {
      name: `Demo webhook to #${channelName(webhook.channel_id)}`,
      input: { kind: 'webhook' as const, webhook_url: webhook.url, subscriptions: ['alert.*', 'approval.*', 'challenge.*'] },
      where: `#${channelName(webhook.channel_id)} (incoming webhook)`,
    },
    channel && {
      name: `Demo bot in #${channel.name}`,
      input: { kind: 'channel' as const, connection_id: connection.id, channel_id: channel.id, subscriptions: ['*'] },
      where: `#${channel.name} (bot token)`,
    },
  ].filter((w): w is NonNullable<typeof w> => Boolean(w));

  for (const w of wanted) {
    const found = current.find((d) => d.name === w.name);
    if (found) {
      const { kind: _kind, ...patch } = w.input;
      await updateDestination(ctx.db, projectId, found.id, { ...patch, enabled: true }, rules);
    } else {
      await createDestination(ctx.db, projectId, { name: w.name, ...w.input }, rules);
    }
  }
  return { projectId, apiKey, destinations: wanted.map((w) => ({ name: w.name, where: w.where })) };
}
