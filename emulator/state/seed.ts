/**
 * The ready-to-use workspace the emulator starts with (unless started empty): a few people with
 * emails, public channels the bot is in, one it is not in (#random, to see not_in_channel), a
 * private channel, an installed app with a bot token and an incoming webhook to #alerts.
 * Every value is fixed, so a token or webhook URL copied into a config keeps working across restarts.
 */
import type { EmulatorState } from './emulator-state.ts';
import type { Workspace } from './model.ts';
import { createWorkspace, type WorkspaceSpec } from './workspace-setup.ts';

export const DEFAULT_BOT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'channels:read',
  'groups:read',
  'im:read',
  'im:write',
  'mpim:read',
  'channels:join',
  'users:read',
  'users:read.email',
  'incoming-webhook',
  'commands',
] as const;

export const DEFAULT_WORKSPACE = {
  team_id: 'T0EMULATE',
  name: 'Emulated Workspace',
  domain: 'emulated',
  bot_token: 'xoxb-emulator-default-bot-token',
  app_token: 'xapp-emulator-default-app-token',
  client_id: '1000000001.2000000002',
  client_secret: 'emulator-client-secret',
  signing_secret: 'emulator-signing-secret',
  webhook_secret: 'EmulatorAlertsWebhook000',
} as const;

export function defaultWorkspaceSpec(): WorkspaceSpec {
  const d = DEFAULT_WORKSPACE;
  return {
    team_id: d.team_id,
    name: d.name,
    domain: d.domain,
    users: [
      { name: 'alice', real_name: 'Alice Admin', email: 'alice@example.com', is_admin: true, is_owner: true },
      { name: 'bob', real_name: 'Bob Builder', email: 'bob@example.com' },
      { name: 'carol', real_name: 'Carol Oncall', email: 'carol@example.com' },
    ],
    apps: [
      {
        name: 'Switchboard',
        scopes: [...DEFAULT_BOT_SCOPES],
        client_id: d.client_id,
        client_secret: d.client_secret,
        signing_secret: d.signing_secret,
        app_token: d.app_token,
        bot_token: d.bot_token,
      },
    ],
    channels: [
      { name: 'general', is_general: true, purpose: 'Company-wide announcements' },
      { name: 'alerts', purpose: 'Production alerts' },
      { name: 'deployments', purpose: 'Deploys and releases' },
      { name: 'approvals', purpose: 'Requests waiting for a decision' },
      { name: 'random', purpose: 'Anything else (the bot is not a member)', bot_member: false },
      { name: 'leadership', is_private: true, purpose: 'Private: the bot is a member', members: ['alice', 'bob'] },
    ],
    webhooks: [{ channel: 'alerts', secret: d.webhook_secret }],
  };
}

export function seedDefaultWorkspace(state: EmulatorState): Workspace {
  return createWorkspace(state, defaultWorkspaceSpec());
}
