/**
 * Control API routes that steer the emulator rather than a workspace's contents: faults, rate
 * limits, counters, reset, the clock, trigger ids and open views, and Socket Mode envelopes.
 * See docs/emulator.md for every route with example bodies.
 */
import type { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import type { FaultSpec } from '../faults/fault-injector.ts';
import { EnvelopeType, type EnvelopeInput } from '../socket-mode/socket-mode-hub.ts';
import { issueTrigger, TRIGGER_LIFETIME_MS } from '../state/view-store.ts';
import { postDueScheduledMessages } from '../state/scheduled-messages.ts';
import type { ControlDeps } from './control-deps.ts';
import { appParam, readJsonBody, route, workspaceParam } from './control-http.ts';
import { viewJsonForControl } from './control-json.ts';
import { CONTROL_PREFIX } from './register-workspace-routes.ts';

export function registerOperationRoutes(app: Hono, deps: ControlDeps): void {
  const { state, limits, counters, faults, socketMode, clock } = deps;
  const p = CONTROL_PREFIX;

  app.get(`${p}/faults`, route((c) => c.json({ faults: faults.list() })));
  app.post(`${p}/faults`, route(async (c) => c.json(faults.add(await readJsonBody<FaultSpec>(c)), 201)));
  app.delete(
    `${p}/faults`,
    route((c) => {
      faults.clear();
      return c.json({ ok: true });
    }),
  );
  app.delete(
    `${p}/faults/:id`,
    route((c) => {
      if (!faults.remove(c.req.param('id') as string)) throw new NotFoundError('fault', c.req.param('id'));
      return c.json({ ok: true });
    }),
  );

  app.get(`${p}/rate-limits`, route((c) => c.json(limits.config(''))));
  app.put(`${p}/rate-limits`, route(async (c) => c.json(limits.configureDefaults(await readJsonBody(c)))));
  app.get(`${p}/workspaces/:team/rate-limits`, route((c) => c.json(limits.config(workspaceParam(state, c).id))));
  app.put(
    `${p}/workspaces/:team/rate-limits`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      return c.json(limits.configure(ws.id, await readJsonBody(c)));
    }),
  );

  app.get(`${p}/counters`, route((c) => c.json(counters.snapshot())));
  app.delete(
    `${p}/counters`,
    route((c) => {
      counters.reset();
      return c.json({ ok: true });
    }),
  );

  app.post(
    `${p}/reset`,
    route(async (c) => {
      const body = await readJsonBody<{ empty?: unknown }>(c);
      if (body.empty !== undefined && typeof body.empty !== 'boolean') throw new ValidationError('empty must be true or false');
      deps.reset({ empty: body.empty ?? deps.startedEmpty });
      return c.json({ ok: true, workspaces: state.workspaces.size });
    }),
  );

  app.get(`${p}/clock`, route((c) => c.json({ now_ms: clock.now(), now: Math.floor(clock.now() / 1000) })));
  app.post(
    `${p}/clock/advance`,
    route(async (c) => {
      const body = await readJsonBody<{ ms?: unknown; seconds?: unknown }>(c);
      const ms = typeof body.ms === 'number' ? body.ms : typeof body.seconds === 'number' ? body.seconds * 1000 : Number.NaN;
      if (!Number.isFinite(ms) || ms < 0) throw new ValidationError('give ms or seconds, a number of at least 0');
      clock.advance(ms);
      postDueScheduledMessages(state);
      return c.json({ now_ms: clock.now(), now: Math.floor(clock.now() / 1000) });
    }),
  );

  app.post(
    `${p}/workspaces/:team/trigger-ids`,
    route(async (c) => {
      const ws = workspaceParam(state, c);
      const body = await readJsonBody<{ user?: unknown }>(c);
      const user = typeof body.user === 'string' ? state.findUser(ws, body.user) : [...ws.users.values()].find((u) => !u.isBot);
      if (!user) throw new NotFoundError('user', typeof body.user === 'string' ? body.user : undefined);
      const trigger = issueTrigger(state, ws.id, user.id);
      return c.json({ trigger_id: trigger.id, user_id: user.id, expires_at_ms: trigger.issuedAt + TRIGGER_LIFETIME_MS }, 201);
    }),
  );

  app.get(
    `${p}/workspaces/:team/views`,
    route((c) => {
      const ws = workspaceParam(state, c);
      return c.json({ views: [...ws.views.values()].filter((v) => !v.closed).map(viewJsonForControl) });
    }),
  );

  app.get(`${p}/apps/:app/socket-mode`, route((c) => c.json({ connections: socketMode.connectionCount(appParam(state, c).id) })));

  app.post(
    `${p}/apps/:app/socket-mode/envelopes`,
    route(async (c) => {
      const target = appParam(state, c);
      const body = await readJsonBody<EnvelopeInput & { timeout_ms?: number }>(c);
      if (!Object.values(EnvelopeType).includes(body.type)) throw new ValidationError(`type must be one of ${Object.values(EnvelopeType).join(', ')}`);
      const result = await socketMode.deliver(target.id, body, body.timeout_ms ?? 3_000);
      return c.json(result, result.ok ? 200 : result.error === 'no_connection' ? 409 : 504);
    }),
  );

  app.post(
    `${p}/apps/:app/socket-mode/disconnect`,
    route(async (c) => {
      const target = appParam(state, c);
      const body = await readJsonBody<{ reason?: unknown }>(c);
      const reason = typeof body.reason === 'string' ? body.reason : 'refresh_requested';
      return c.json({ ok: true, connections: socketMode.disconnect(target.id, reason) });
    }),
  );
}
