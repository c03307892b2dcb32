/**
 * One Web API call with a connection's bot token (fresh, see get-fresh-bot-token.ts),
 * Slack's failures turned into errors an admin can act on. A token Slack no longer accepts
 * (invalid_auth, token_revoked, account_inactive...) pauses the connection and its destinations,
 * exactly as a failed delivery would; a missing scope names the feature that asks for it. Every
 * Web API call made for a connection goes through here.
 */
import type { WebClient } from '@slack/web-api';
import { SwitchboardError } from '../errors.ts';
import { createWebClient } from '../slack/create-web-client.ts';
import { BROKEN_DESTINATION_HINTS, CONNECTION_ERRORS } from '../slack/slack-error-hints.ts';
import { featuresGranting } from '../slack/slack-features.ts';
import { markConnectionNeedsAttention } from './connection-status.ts';
import { getFreshBotToken, type TokenDeps } from './get-fresh-bot-token.ts';

interface WebApiFailure {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  message?: string;
}

export async function callSlackAsConnection<T>(
  deps: TokenDeps,
  connectionId: string,
  call: (client: WebClient) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const token = await getFreshBotToken(deps, connectionId);
  try {
    return await call(createWebClient(token, { slackApiUrl: deps.config.slackApiUrl, timeoutMs: options.timeoutMs }));
  } catch (error) {
    throw await explainSlackFailure(deps, connectionId, error as WebApiFailure);
  }
}

async function explainSlackFailure(deps: TokenDeps, connectionId: string, e: WebApiFailure): Promise<Error> {
  if (e.code === 'slack_webapi_rate_limited_error') {
    const retryAfter = e.retryAfter ?? 30;
    return new SwitchboardError('slack_rate_limited', `Slack is rate-limiting this workspace's requests: try again in ${retryAfter} s`, { retry_after: retryAfter });
  }
  const slackError = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (!slackError) return new SwitchboardError('slack_unreachable', `Could not reach Slack: ${e.message ?? 'unknown error'}`);
  if (CONNECTION_ERRORS.has(slackError)) {
    const hint = BROKEN_DESTINATION_HINTS[slackError] ?? 'Reconnect Slack.';
    await markConnectionNeedsAttention(deps.db, connectionId, slackError, hint);
    return new SwitchboardError('slack_connection_broken', `Slack no longer accepts this connection's token (${slackError}): ${hint}`, { slack_error: slackError });
  }
  if (slackError === 'missing_scope') {
    const needed = e.data?.needed ?? 'a scope';
    const features = needed.split(',').flatMap((s) => featuresGranting(s.trim()));
    const how = features.length ? `turn on the ${[...new Set(features)].join(' / ')} feature (SWITCHBOARD_FEATURES), update the app from \`switchboard manifest\`, and reconnect Slack` : 'add it to the Slack app and reconnect Slack';
    return new SwitchboardError('slack_scope_missing', `The Slack install lacks the ${needed} permission: ${how}`, { needed });
  }
  return new SwitchboardError('slack_error', `Slack answered ${slackError}`, { slack_error: slackError });
}
