/**
 * Small HTTP helpers for the control API: reading a JSON body, answering errors in the project's
 * shape `{ error: { code, message, details } }` with a status from one table, and finding the
 * workspace / channel / app a route names (by id or by name).
 */
import type { Context } from 'hono';
import { NotFoundError, SwitchboardError, ValidationError } from '../../src/errors.ts';
import type { EmulatorState } from '../state/emulator-state.ts';
import type { App, Channel, Workspace } from '../state/model.ts';

const STATUS_OF_CODE: Record<string, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
};

export function errorResponse(error: unknown): Response {
  if (error instanceof SwitchboardError) {
    const status = STATUS_OF_CODE[error.code] ?? 500;
    return Response.json({ error: { code: error.code, message: error.message, details: error.details ?? {} } }, { status });
  }
  throw error;
}

export async function readJsonBody<T = Record<string, unknown>>(c: Context): Promise<T> {
  const text = await c.req.text();
  if (text.trim() === '') return {} as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError('the body must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('the body must be a JSON object');
  return parsed as T;
}

export function workspaceParam(state: EmulatorState, c: Context): Workspace {
  const ref = c.req.param('team') as string;
  const ws = state.findWorkspace(ref);
  if (!ws) throw new NotFoundError('workspace', ref);
  return ws;
}

export function channelParam(state: EmulatorState, ws: Workspace, c: Context): Channel {
  const ref = c.req.param('channel') as string;
  const ch = ws.channels.get(ref) ?? state.findChannel(ws, ref);
  if (!ch) throw new NotFoundError('channel', ref);
  return ch;
}

export function appParam(state: EmulatorState, c: Context): App {
  const ref = c.req.param('app') as string;
  const app = state.findApp(ref);
  if (!app) throw new NotFoundError('app', ref);
  return app;
}

/** Wraps a route so domain errors become JSON answers. */
export function route(handler: (c: Context) => Response | Promise<Response>): (c: Context) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (e) {
      return errorResponse(e);
    }
  };
}
