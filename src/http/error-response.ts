/**
 * The one table that maps error codes to HTTP statuses, and the JSON body every error uses:
 * { error: { code, message, details } }. Domain code throws SwitchboardErrors with codes; only
 * this file knows about statuses. Anything unexpected is logged and answered as a 500 without
 * internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable, isUnstorableText } from '../db/database-errors.ts';
import { SwitchboardError } from '../errors.ts';

/** Seconds a client is asked to wait before retrying after a 503 (the database or a dependency is down). */
export const RETRY_AFTER_SECONDS = 5;

/** Every error code the API answers with, and its status (the OpenAPI examples are checked against it). */
export const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  validation_failed: 400,
  invalid_json: 400,
  condition_invalid: 400,
  webhook_url_invalid: 400,
  invalid_cursor: 400,
  project_required: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  delivery_not_retryable: 409,
  delivery_not_cancellable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_event_type: 422,
  data_invalid: 422,
  template_invalid: 422,
  built_in_event_type: 422,
  slack_token_rejected: 422,
  slack_unreachable: 502,
  database_unavailable: 503,
  // Connect Slack (src/oauth/, src/connections/)
  oauth_not_configured: 501,
  connection_disconnected: 409,
  token_refresh_failed: 409,
  slack_connection_broken: 409,
  slack_scope_missing: 409,
  slack_user_not_found: 404,
  slack_rate_limited: 429,
  previews_busy: 429,
  slack_oauth_refused: 502,
  slack_error: 502,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function statusForCode(code: string): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 400;
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

export function respondWithError(c: Context, error: unknown, log: (err: unknown) => void): Response {
  if (error instanceof SwitchboardError) {
    return c.json(errorBody(error.code, error.message, error.details), statusForCode(error.code));
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 400 && /JSON/i.test(error.message)) {
      return c.json(errorBody('invalid_json', 'The request body is not valid JSON: check quoting and commas'), 400);
    }
    if (status === 413) return c.json(errorBody('payload_too_large', error.message), 413);
    return c.json(errorBody(status === 401 ? 'unauthorized' : 'http_error', error.message), status as ContentfulStatusCode);
  }
  if (isUnstorableText(error)) {
    // A backstop: the edge refuses such text (storable-input.ts) and rendering replaces it.
    return c.json(errorBody('validation_failed', 'The request holds text the database cannot store (a NUL character or an unpaired UTF-16 surrogate): remove it'), 400);
  }
  if (isDatabaseUnavailable(error)) {
    // The client can do nothing but wait: an answer it can act on, not a 500 it might never retry.
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    log(error);
    return c.json(errorBody('database_unavailable', `The database is unavailable or did not answer in time; nothing was changed. Retry in ${RETRY_AFTER_SECONDS} seconds (see Retry-After)`), 503);
  }
  log(error);
  return c.json(errorBody('internal_error', 'Something went wrong on our side; the error was logged'), 500);
}
