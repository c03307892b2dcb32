/**
 * A typed client for the control API (/_emulator/…), for tests and tools that drive an emulator
 * over HTTP — in this process or another one. Every method is one request; errors throw with the
 * emulator's message.
 */
import type { FaultSpec } from '../faults/fault-injector.ts';
import type { CountersSnapshot } from '../rate-limits/call-counters.ts';
import type { RateLimitConfig } from '../rate-limits/rate-limit-config.ts';
import type { DeliveryResult, EnvelopeInput } from '../socket-mode/socket-mode-hub.ts';
import type { AppSpec, ChannelSpec, InstallSpec, UserSpec, WebhookSpec, WorkspaceSpec } from '../state/workspace-setup.ts';

export interface ControlChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  is_general: boolean;
  bot_member?: boolean;
  members: string[];
  message_count: number;
}

export interface ControlApp {
  app_id: string;
  name: string;
  client_id: string;
  client_secret: string;
  signing_secret: string;
  app_token: string;
  scopes: string[];
  token_rotation: boolean;
  token_lifetime_seconds: number;
}

export interface ControlInstallation extends ControlApp {
  team_id: string;
  bot_token: string;
  bot_user_id: string;
  bot_id: string;
  uninstalled: boolean;
  refresh_token?: string;
  token_expires_at?: number;
}

export interface ControlWebhook {
  id: string;
  url: string;
  team_id: string;
  channel_id: string;
  channel_name?: string;
  app_id: string;
  removed: boolean;
}

export interface ControlUser {
  id: string;
  name: string;
  real_name: string;
  email?: string;
  is_bot: boolean;
}

export interface ControlWorkspace {
  team_id: string;
  name: string;
  domain: string;
  disabled: boolean;
  bot_token?: string;
  bot_user_id?: string;
  app_id?: string;
  channels: ControlChannel[];
  users: ControlUser[];
  apps: ControlInstallation[];
  webhooks: ControlWebhook[];
}

export interface InspectedMessage {
  ts: string;
  channel: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  username?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  reply_broadcast: boolean;
  edited?: { user: string; ts: string };
  history: Array<{ ts: string; text: string; blocks?: unknown[]; attachments?: unknown[] }>;
  deleted: boolean;
  source: 'web_api' | 'webhook' | 'scheduled' | 'control';
  webhook_id?: string;
  replies?: InspectedMessage[];
}

export interface InspectedEphemeral {
  message_ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
}

export interface ChannelMessages {
  channel: ControlChannel;
  messages: InspectedMessage[];
  ephemeral: InspectedEphemeral[];
}

export interface InspectedScheduled {
  id: string;
  channel_id: string;
  post_at: number;
  text: string;
  state: 'pending' | 'posted' | 'deleted';
  posted_ts?: string;
}

export interface ControlFault extends FaultSpec {
  id: string;
  remaining: number;
  hits: number;
}

export class EmulatorControlClient {
  /** @param baseUrl the emulator's URL, e.g. http://127.0.0.1:3100 */
  constructor(readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : {};
    // An envelope nobody acked is an answer (409 no_connection / 504 ack_timeout), not a failure.
    const undelivered = path.endsWith('/socket-mode/envelopes') && (res.status === 409 || res.status === 504);
    if (!res.ok && !undelivered) {
      const message = (parsed as { error?: { message?: string } }).error?.message ?? text;
      throw new Error(`emulator control ${method} ${path} failed (${res.status}): ${message}`);
    }
    return parsed as T;
  }

  async workspaces(): Promise<ControlWorkspace[]> {
    return (await this.request<{ workspaces: ControlWorkspace[] }>('GET', '/workspaces')).workspaces;
  }
  workspace(team: string): Promise<ControlWorkspace> {
    return this.request('GET', `/workspaces/${encodeURIComponent(team)}`);
  }
  createWorkspace(spec: WorkspaceSpec = {}): Promise<ControlWorkspace> {
    return this.request('POST', '/workspaces', spec);
  }
  setWorkspaceDisabled(team: string, disabled: boolean): Promise<ControlWorkspace> {
    return this.request('PATCH', `/workspaces/${encodeURIComponent(team)}`, { disabled });
  }
  createUser(team: string, spec: UserSpec): Promise<ControlUser> {
    return this.request('POST', `/workspaces/${encodeURIComponent(team)}/users`, spec);
  }
  createChannel(team: string, spec: ChannelSpec): Promise<ControlChannel> {
    return this.request('POST', `/workspaces/${encodeURIComponent(team)}/channels`, spec);
  }
  setChannelArchived(team: string, channel: string, archived: boolean): Promise<ControlChannel> {
    return this.request('PATCH', `/workspaces/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}`, { is_archived: archived });
  }
  setBotMember(team: string, channel: string, member: boolean): Promise<ControlChannel> {
    return this.request('PATCH', `/workspaces/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}`, { bot_member: member });
  }
  deleteChannel(team: string, channel: string): Promise<{ ok: true }> {
    return this.request('DELETE', `/workspaces/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}`);
  }
  messages(team: string, channel: string): Promise<ChannelMessages> {
    return this.request('GET', `/workspaces/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}/messages`);
  }
  async scheduledMessages(team: string): Promise<InspectedScheduled[]> {
    return (await this.request<{ scheduled_messages: InspectedScheduled[] }>('GET', `/workspaces/${encodeURIComponent(team)}/scheduled-messages`)).scheduled_messages;
  }
  createWebhook(team: string, spec: WebhookSpec): Promise<ControlWebhook> {
    return this.request('POST', `/workspaces/${encodeURIComponent(team)}/webhooks`, spec);
  }
  removeWebhook(id: string): Promise<ControlWebhook> {
    return this.request('DELETE', `/webhooks/${encodeURIComponent(id)}`);
  }
  createApp(spec: AppSpec): Promise<ControlApp> {
    return this.request('POST', '/apps', spec);
  }
  install(team: string, spec: InstallSpec & { join_channels?: string[] }): Promise<ControlInstallation> {
    return this.request('POST', `/workspaces/${encodeURIComponent(team)}/installations`, spec);
  }
  uninstall(team: string, app: string): Promise<{ ok: true }> {
    return this.request('DELETE', `/workspaces/${encodeURIComponent(team)}/installations/${encodeURIComponent(app)}`);
  }
  revokeToken(token: string): Promise<{ ok: true; revoked: boolean }> {
    return this.request('POST', '/tokens/revoke', { token });
  }
  issueTriggerId(team: string, user?: string): Promise<{ trigger_id: string; user_id: string; expires_at_ms: number }> {
    return this.request('POST', `/workspaces/${encodeURIComponent(team)}/trigger-ids`, user ? { user } : {});
  }
  async views(team: string): Promise<Array<{ id: string; user: string; view: Record<string, unknown> }>> {
    return (await this.request<{ views: Array<{ id: string; user: string; view: Record<string, unknown> }> }>('GET', `/workspaces/${encodeURIComponent(team)}/views`)).views;
  }
  addFault(spec: FaultSpec): Promise<ControlFault> {
    return this.request('POST', '/faults', spec);
  }
  async faults(): Promise<ControlFault[]> {
    return (await this.request<{ faults: ControlFault[] }>('GET', '/faults')).faults;
  }
  clearFaults(): Promise<{ ok: true }> {
    return this.request('DELETE', '/faults');
  }
  rateLimits(team?: string): Promise<RateLimitConfig> {
    return this.request('GET', team ? `/workspaces/${encodeURIComponent(team)}/rate-limits` : '/rate-limits');
  }
  setRateLimits(team: string, change: Partial<RateLimitConfig> | Record<string, unknown>): Promise<RateLimitConfig> {
    return this.request('PUT', `/workspaces/${encodeURIComponent(team)}/rate-limits`, change);
  }
  setDefaultRateLimits(change: Partial<RateLimitConfig> | Record<string, unknown>): Promise<RateLimitConfig> {
    return this.request('PUT', '/rate-limits', change);
  }
  counters(): Promise<CountersSnapshot> {
    return this.request('GET', '/counters');
  }
  resetCounters(): Promise<{ ok: true }> {
    return this.request('DELETE', '/counters');
  }
  reset(options: { empty?: boolean } = {}): Promise<{ ok: true; workspaces: number }> {
    return this.request('POST', '/reset', options);
  }
  advanceClock(ms: number): Promise<{ now_ms: number; now: number }> {
    return this.request('POST', '/clock/advance', { ms });
  }
  sendEnvelope(app: string, envelope: EnvelopeInput & { timeout_ms?: number }): Promise<DeliveryResult> {
    return this.request('POST', `/apps/${encodeURIComponent(app)}/socket-mode/envelopes`, envelope);
  }
  disconnectSocketMode(app: string, reason = 'refresh_requested'): Promise<{ ok: true; connections: number }> {
    return this.request('POST', `/apps/${encodeURIComponent(app)}/socket-mode/disconnect`, { reason });
  }
}
