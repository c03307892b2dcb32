/**
 * The emulator's in-memory state: every workspace, app, token, webhook, scheduled message, trigger
 * and OAuth code, indexed for O(1) lookups, plus the listeners told about visible changes (the page
 * subscribes). Operations that change the state live beside it (workspace-setup.ts,
 * message-store.ts, scheduled-messages.ts, view-store.ts) and call `changed()` when a person
 * watching the page would see a difference.
 */
import type { Clock } from '../../src/clock.ts';
import { IdSource } from './id-source.ts';
import type {
  App,
  Channel,
  Installation,
  OAuthCode,
  RefreshToken,
  ScheduledMessage,
  Token,
  Trigger,
  User,
  Webhook,
  Workspace,
} from './model.ts';

export class EmulatorState {
  ids = new IdSource();
  readonly workspaces = new Map<string, Workspace>();
  readonly apps = new Map<string, App>();
  readonly appsByClientId = new Map<string, App>();
  readonly tokens = new Map<string, Token>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly webhooks = new Map<string, Webhook>();
  readonly scheduled = new Map<string, ScheduledMessage>();
  readonly triggers = new Map<string, Trigger>();
  readonly oauthCodes = new Map<string, OAuthCode>();
  /** Earliest post_at (ms) among pending scheduled messages, so the due check is O(1) when none are. */
  nextScheduledDue = Number.POSITIVE_INFINITY;
  private readonly listeners = new Set<() => void>();

  constructor(readonly clock: Clock) {}

  /** Current time in epoch milliseconds, from the injected clock. */
  now(): number {
    return this.clock.now();
  }

  /** Current time in Unix seconds, as Slack's `created` fields carry it. */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells every listener that something visible changed. A failing listener never breaks a call. */
  changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A page listener's failure is the page's problem; the Web API call already succeeded.
      }
    }
  }

  /** Forgets everything (listeners stay subscribed, and are told). */
  clear(): void {
    this.ids = new IdSource();
    this.workspaces.clear();
    this.apps.clear();
    this.appsByClientId.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    this.webhooks.clear();
    this.scheduled.clear();
    this.triggers.clear();
    this.oauthCodes.clear();
    this.nextScheduledDue = Number.POSITIVE_INFINITY;
    this.changed();
  }

  workspace(teamId: string): Workspace | undefined {
    return this.workspaces.get(teamId);
  }

  /** The workspace with this id, or the one with this domain or name (the control API accepts all three). */
  findWorkspace(ref: string): Workspace | undefined {
    const byId = this.workspaces.get(ref);
    if (byId) return byId;
    for (const ws of this.workspaces.values()) if (ws.domain === ref || ws.name === ref) return ws;
    return undefined;
  }

  /** A channel by id, or by name with or without "#" (chat.postMessage accepts names too). */
  findChannel(ws: Workspace, ref: string): Channel | undefined {
    const byId = ws.channels.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const ch of ws.channelOrder) if (ch.name === name && !ch.deleted && (ch.kind === 'public' || ch.kind === 'private')) return ch;
    return undefined;
  }

  /** A user by id, name or email. */
  findUser(ws: Workspace, ref: string): User | undefined {
    const byId = ws.users.get(ref);
    if (byId) return byId;
    const lower = ref.toLowerCase();
    for (const u of ws.users.values()) if (u.name === ref || u.email?.toLowerCase() === lower) return u;
    return undefined;
  }

  /** An app by id, client id or name. */
  findApp(ref: string): App | undefined {
    const byId = this.apps.get(ref) ?? this.appsByClientId.get(ref);
    if (byId) return byId;
    for (const app of this.apps.values()) if (app.name === ref) return app;
    return undefined;
  }

  installation(teamId: string, appId: string): Installation | undefined {
    return this.workspaces.get(teamId)?.installations.get(appId);
  }

  /** The first live installation of a workspace: the app the control API speaks of by default. */
  primaryInstallation(ws: Workspace): Installation | undefined {
    for (const inst of ws.installations.values()) if (!inst.uninstalled) return inst;
    return undefined;
  }
}
