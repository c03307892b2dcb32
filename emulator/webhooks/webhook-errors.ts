/**
 * Incoming-webhook error bodies and their HTTP statuses (platform sheet §2). Documented:
 * invalid_payload / user_not_found 400, action_prohibited 403, channel_not_found 404,
 * channel_is_archived 410, rollup_error 500 [CL-2016]; invalid_blocks 400 [JV]; no_team 404 [JV guide];
 * invalid_token 403 (observed). The rest are undocumented; ours follow the same pattern (a dead URL
 * is 404, a refusal 403, a bad request 400). The 429 body is ours too: Slack documents only the
 * status and Retry-After for webhooks [D-RATE].
 */

export const WEBHOOK_ERROR_STATUS: Record<string, number> = {
  invalid_payload: 400,
  user_not_found: 400,
  invalid_blocks: 400,
  no_text: 400,
  too_many_attachments: 400,
  no_service_id: 400,
  action_prohibited: 403,
  posting_to_general_channel_denied: 403,
  invalid_token: 403,
  team_disabled: 403,
  channel_not_found: 404,
  no_service: 404,
  no_active_hooks: 404,
  no_team: 404,
  channel_is_archived: 410,
  rate_limited: 429,
  rollup_error: 500,
};

export function webhookErrorStatus(error: string): number {
  return WEBHOOK_ERROR_STATUS[error] ?? 400;
}

/** Slack's webhook answers are short text bodies, served as text/html (observed, sheet §2). */
export function webhookText(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}

export function webhookError(error: string, status = webhookErrorStatus(error)): Response {
  return webhookText(error, status);
}
