/**
 * The local Slack emulator: one Hono app answering the Web API at /api/<method> (where production
 * uses https://slack.com/api/), incoming webhooks at /services/…, OAuth at /oauth/v2/authorize,
 * Socket Mode WebSockets at /link/, the control API at /_emulator/, and the page at /. State is in
 * memory; time comes from an injected clock. By default it starts with a ready-made workspace.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { systemClock, type Clock } from '../src/clock.ts';
import { registerOperationRoutes } from './control/register-operation-routes.ts';
import { CONTROL_PREFIX, registerWorkspaceRoutes } from './control/register-workspace-routes.ts';
import { EmulatorClock } from './emulator-clock.ts';
import { HangTimers } from './faults/apply-fault.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import { registerOAuthPages } from './oauth/register-oauth-pages.ts';
import type { PageSource } from './page/page-source.ts';
import { registerPage } from './page/register-page.ts';
import { CallCounters } from './rate-limits/call-counters.ts';
import { DEFAULT_RATE_LIMITS, mergeRateLimitConfig, type RateLimitConfig } from './rate-limits/rate-limit-config.ts';
import { RateLimiter } from './rate-limits/rate-limiter.ts';
import { SocketModeHub } from './socket-mode/socket-mode-hub.ts';
import { EmulatorState } from './state/emulator-state.ts';
import { postDueScheduledMessages } from './state/scheduled-messages.ts';
import { seedDefaultWorkspace } from './state/seed.ts';
import { statePageSource } from './state/state-page-source.ts';
import { registerWebApi } from './web-api/register-web-api.ts';
import { registerWebhooks } from './webhooks/register-webhooks.ts';

export interface EmulatorOptions {
  /** Time source (default the system clock). The emulator adds an offset the control API can advance. */
  clock?: Clock;
  /** Start with no workspace instead of the ready-made one. */
  empty?: boolean;
  /** Rate limits every workspace starts with (default: Slack-like, on). */
  rateLimits?: Partial<RateLimitConfig>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:3100 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Emulator {
  app: Hono;
  state: EmulatorState;
  clock: EmulatorClock;
  limits: RateLimiter;
  counters: CallCounters;
  faults: FaultInjector;
  socketMode: SocketModeHub;
  pageSource: PageSource;
  /** Back to the starting point (rate limits, faults, counters too). */
  reset(options?: { empty?: boolean }): void;
  listen(port?: number, host?: string): Promise<RunningEmulator>;
}

/** How often a listening emulator posts due scheduled messages on its own (calls also do it). */
const SCHEDULER_INTERVAL_MS = 1_000;

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = new EmulatorClock(options.clock ?? systemClock);
  const state = new EmulatorState(clock);
  const initialLimits = (): RateLimitConfig => mergeRateLimitConfig(DEFAULT_RATE_LIMITS, (options.rateLimits ?? {}) as Record<string, unknown>);
  const limits = new RateLimiter(clock, initialLimits());
  const counters = new CallCounters();
  const faults = new FaultInjector();
  const hangs = new HangTimers();
  const socketMode = new SocketModeHub(clock);
  const startedEmpty = options.empty ?? false;

  const reset = (resetOptions: { empty?: boolean } = {}) => {
    state.clear();
    limits.reset(initialLimits());
    counters.reset();
    faults.clear();
    clock.reset();
    if (!(resetOptions.empty ?? startedEmpty)) seedDefaultWorkspace(state);
  };
  if (!startedEmpty) seedDefaultWorkspace(state);

  const app = new Hono();
  const pageSource = statePageSource(state);
  registerWebApi(app, { state, limits, socketMode, counters, faults, hangs });
  registerWebhooks(app, { state, limits, counters, faults, hangs });
  registerOAuthPages(app, state);
  registerWorkspaceRoutes(app, { state, limits, counters, faults, socketMode, clock, reset, startedEmpty });
  registerOperationRoutes(app, { state, limits, counters, faults, socketMode, clock, reset, startedEmpty });
  app.get(CONTROL_PREFIX, (c) => c.redirect(`${CONTROL_PREFIX}/workspaces`));
  // Permalinks (chat.getPermalink) lead to the page.
  app.get('/archives/:channel/:message', (c) => {
    const channel = c.req.param('channel');
    const ws = [...state.workspaces.values()].find((w) => w.channels.has(channel));
    return c.redirect(ws ? `/?team=${ws.id}&channel=${channel}` : '/');
  });
  registerPage(app, pageSource);

  async function listen(port = 0, host = '127.0.0.1'): Promise<RunningEmulator> {
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server;
      s.once('error', reject);
    });
    server.on('upgrade', (request, socket, head) => {
      if (!socketMode.handleUpgrade(request, socket, head)) socket.destroy();
    });
    const scheduler = setInterval(() => postDueScheduledMessages(state), SCHEDULER_INTERVAL_MS);
    scheduler.unref();
    const address = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${address.port}`,
      port: address.port,
      close() {
        closed ??= new Promise<void>((resolve) => {
          clearInterval(scheduler);
          socketMode.close();
          hangs.releaseAll();
          server.close(() => resolve());
          server.closeAllConnections();
        });
        return closed;
      },
    };
  }

  return { app, state, clock, limits, counters, faults, socketMode, pageSource, reset, listen };
}
