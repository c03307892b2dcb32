/**
 * Demo mode (`npm start` with no Slack configured): the demo project, its API key and its two
 * destinations (an incoming webhook and a channel in the emulator's workspace), kept across
 * restarts together with whatever the user changed in them.
 *
 * The first start creates them and writes the demo's own record (system_settings `demo`): the
 * project, the key's id and the key itself sealed with the keyring (the banner shows it again at
 * every start; it is never stored in plaintext), the connection, and for each destination a hash
 * of the address the demo gave it. The emulator starts afresh every time, so later starts link
 * the emulator's workspace again: the bot token is renewed on the connection, and a destination
 * is re-pointed only while it still has the address the demo gave it (the hash matches) and that
 * address is gone. Everything else the user changed (disabled, renamed, other subscriptions or
 * conditions, another channel or URL, deleted, disconnected) stays as the user left it.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { createConnectionFromToken, getConnection, type Connection } from '../connections/connection-store.ts';
import type { Queryable } from '../db/database.ts';
import { createDestination, getDestination, listDestinations, updateDestination, type Destination, type DestinationInput } from '../destinations/destination-store.ts';
import { hashApiKey } from '../projects/api-key.ts';
import { createApiKey, createProject, getProject, listProjects, type Project } from '../projects/project-store.ts';

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
  /** False when this start had to issue a new key (first start, or the recorded one was revoked or cannot be opened). */
  sameKey: boolean;
  destinations: { name: string; where: string }[];
}

type Role = 'webhook' | 'channel';

/** The demo's own record, in system_settings under RECORD_KEY. Its `*_sealed` fields are resealed by `keys rotate`. */
interface DemoRecord {
  project_id: string;
  api_key_id: string;
  /** The demo API key, sealed with the keyring. */
  api_key_sealed: string;
  connection_id?: string;
  destinations: { role: Role; id: string; channel_name: string; address_sha256: string }[];
}

const RECORD_KEY = 'demo';
const DEMO_KEY_NAME = 'demo key';

export async function prepareDemoProject(ctx: AppContext, workspace: EmulatorWorkspace): Promise<DemoProject> {
  const stored = await readRecord(ctx.db);
  let project: Project | undefined = stored ? await getProject(ctx.db, stored.project_id).catch(() => undefined) : undefined;
  // A data folder from before the record existed: adopt its demo project.
  project ??= (await listProjects(ctx.db)).find((p) => p.settings.demo === true);
  let firstKey: { id: string; key: string } | undefined;
  if (!project) {
    const created = await createProject(ctx.db, { name: 'Demo project', settings: { demo: true } });
    project = created.project;
    firstKey = created.apiKey;
  }
  const projectId = project.id;
  const record = stored?.project_id === projectId ? stored : undefined;

  const kept = record ? await recoverKey(ctx, projectId, record) : undefined;
  let apiKey = kept ?? firstKey;
  if (!apiKey) {
    const created = await createApiKey(ctx.db, projectId, DEMO_KEY_NAME);
    apiKey = { id: created.info.id, key: created.key };
  }

  const connection = await linkConnection(ctx, projectId, workspace, record);
  const rules = { keyring: ctx.keyring, allowedWebhookOrigins: ctx.config.allowedWebhookOrigins };
  const channelName = (id: string | null) => workspace.channels.find((c) => c.id === id)?.name;

  const next: DemoRecord = {
    project_id: projectId,
    api_key_id: apiKey.id,
    api_key_sealed: kept && record ? ctx.keyring.reseal(record.api_key_sealed) : ctx.keyring.encrypt(apiKey.key),
    connection_id: connection.id,
    destinations: [],
  };
  const shown: DemoProject['destinations'] = [];
  const legacy = record ? [] : await listDestinations(ctx.db, projectId);

  for (const role of ['webhook', 'channel'] as const) {
    const entry = record?.destinations.find((d) => d.role === role);
    // With a record, a destination it does not list was deleted by the user: it stays deleted.
    if (record && !entry) continue;
    const wantedChannel = entry?.channel_name ?? (role === 'webhook' ? channelName(workspace.webhooks[0]?.channel_id ?? null) : 'deployments');
    const target = demoTarget(role, workspace, connection, wantedChannel);
    if (!target) continue;

    let destination: Destination | undefined;
    if (entry) {
      destination = await getDestination(ctx.db, projectId, entry.id).catch(() => undefined);
      if (!destination) continue;
      const current = await addressOf(ctx, destination);
      // Still where the demo put it, and that place changed with the new emulator: follow it.
      if (current !== undefined && sha256(current) === entry.address_sha256 && current !== target.address) {
        destination = await updateDestination(ctx.db, projectId, destination.id, target.patch, rules);
      }
    } else {
      const name = role === 'webhook' ? `Demo webhook to #${target.channelName}` : `Demo bot in #${target.channelName}`;
      const found = legacy.find((d) => d.name === name && d.kind === role);
      destination = found
        ? await updateDestination(ctx.db, projectId, found.id, target.patch, rules)
        : await createDestination(ctx.db, projectId, { name, kind: role, subscriptions: role === 'webhook' ? ['alert.*', 'approval.*', 'challenge.*'] : ['*'], ...target.patch }, rules);
    }
    const address = await addressOf(ctx, destination);
    next.destinations.push({
      role,
      id: destination.id,
      channel_name: address === target.address ? target.channelName : entry?.channel_name ?? target.channelName,
      address_sha256: address === undefined ? entry?.address_sha256 ?? '' : sha256(address),
    });
    shown.push({ name: destination.name, where: describeWhere(destination, address === target.address ? `#${target.channelName}` : undefined, channelName) });
  }
  await writeRecord(ctx.db, next);

  return {
    projectId,
    apiKey: apiKey.key,
    sameKey: Boolean(kept),
    destinations: shown,
  };
}

/** The recorded key, when it is still this project's, not revoked, and the keyring can open it. */
async function recoverKey(ctx: AppContext, projectId: string, record: DemoRecord): Promise<{ id: string; key: string } | undefined> {
  let key: string;
  try {
    key = ctx.keyring.decrypt(record.api_key_sealed);
  } catch {
    return undefined; // sealed with a key that is no longer configured: a new key is issued
  }
  const { rows } = await ctx.db.query(
    'SELECT 1 FROM api_keys WHERE id = $1 AND project_id = $2 AND key_hash = $3 AND revoked_at IS NULL',
    [record.api_key_id, projectId, hashApiKey(key)],
  );
  return rows.length ? { id: record.api_key_id, key } : undefined;
}

/** The emulator's bot token on the demo connection, unless the user disconnected it. */
async function linkConnection(ctx: AppContext, projectId: string, workspace: EmulatorWorkspace, record: DemoRecord | undefined): Promise<Connection> {
  const existing = record?.connection_id ? await getConnection(ctx.db, projectId, record.connection_id).catch(() => undefined) : undefined;
  if (existing?.status === 'disconnected') return existing;
  return createConnectionFromToken(ctx.db, ctx.keyring, projectId, workspace.bot_token, ctx.config.slackApiUrl);
}

/** Where the demo points a destination of this role in this workspace. */
function demoTarget(
  role: Role,
  workspace: EmulatorWorkspace,
  connection: Connection,
  channelName: string | undefined,
): { address: string; patch: DestinationInput; channelName: string } | undefined {
  const byName = (name: string | undefined) => workspace.channels.find((c) => c.name === name);
  if (role === 'webhook') {
    const hook = workspace.webhooks.find((w) => w.channel_id === byName(channelName)?.id) ?? workspace.webhooks[0];
    if (!hook) return undefined;
    const name = workspace.channels.find((c) => c.id === hook.channel_id)?.name ?? hook.channel_id;
    return { address: `webhook:${hook.url}`, patch: { webhook_url: hook.url }, channelName: name };
  }
  const channel = byName(channelName) ?? byName('deployments') ?? workspace.channels[0];
  if (!channel) return undefined;
  return {
    address: `channel:${connection.id}/${channel.id}`,
    patch: { connection_id: connection.id, channel_id: channel.id },
    channelName: channel.name,
  };
}

/** A destination's address in the form demoTarget gives it; undefined when its webhook URL cannot be opened. */
async function addressOf(ctx: AppContext, destination: Destination): Promise<string | undefined> {
  if (destination.kind === 'channel') return `channel:${destination.connection_id}/${destination.channel_id}`;
  if (destination.kind !== 'webhook') return `${destination.kind}:${destination.id}`;
  const { rows } = await ctx.db.query<{ sealed: string | null }>('SELECT webhook_url_sealed AS sealed FROM destinations WHERE id = $1', [destination.id]);
  try {
    return rows[0]?.sealed ? `webhook:${ctx.keyring.decrypt(rows[0].sealed)}` : undefined;
  } catch {
    return undefined;
  }
}

/** `demoChannel`: the channel's name when the destination is where the demo put it. */
function describeWhere(d: Destination, demoChannel: string | undefined, channelName: (id: string | null) => string | undefined): string {
  const state = d.enabled ? (d.status === 'needs_attention' ? ' (needs attention)' : '') : ' (disabled)';
  if (d.kind === 'channel') return `#${channelName(d.channel_id) ?? d.channel_id} (bot token)${state}`;
  if (d.kind === 'webhook') return `${demoChannel ?? d.webhook_url_hint ?? 'a webhook'} (incoming webhook)${state}`;
  return `${d.kind}${state}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readRecord(db: Queryable): Promise<DemoRecord | undefined> {
  const { rows } = await db.query<{ value: DemoRecord }>('SELECT value FROM system_settings WHERE key = $1', [RECORD_KEY]);
  const value = rows[0]?.value;
  return value && typeof value.project_id === 'string' && typeof value.api_key_sealed === 'string' && Array.isArray(value.destinations) ? value : undefined;
}

async function writeRecord(db: Queryable, record: DemoRecord): Promise<void> {
  await db.query(
    `INSERT INTO system_settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [RECORD_KEY, JSON.stringify(record)],
  );
}
