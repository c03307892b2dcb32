/**
 * Picker data for a connection: the channels its bot can post to, and the Slack user behind an
 * email for DM destinations. Both ask Slack with the connection's bot token.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { ChannelPicker, MAX_PAGE_SIZE } from '../../connections/channel-picker.ts';
import { findSlackUserByEmail } from '../../connections/find-slack-user.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { ChannelPageSchema, errorResponse, errorResponses, SlackUserSchema } from '../schemas.ts';

const Params = z.object({ connection_id: z.string().openapi({ param: { name: 'connection_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Connections'];
const slackErrors = {
  409: errorResponse(
    'The connection is disconnected, its token is no longer accepted, or the install lacks a permission',
    { code: 'connection_disconnected', message: 'Connection con_01jf3z8n5q0000000000000000 is disconnected: reconnect Slack to pick channels', details: { connection_id: 'con_01jf3z8n5q0000000000000000' } },
    { code: 'token_refresh_failed', message: 'The bot token expired and Slack refused to renew it: reconnect Slack' },
    { code: 'slack_connection_broken', message: "Slack no longer accepts this connection's token (token_revoked): reconnect Slack", details: { slack_error: 'token_revoked' } },
    { code: 'slack_scope_missing', message: 'The Slack install lacks the channels:read permission: reinstall the app with it', details: { needed: 'channels:read' } },
  ),
  429: errorResponse('Slack is rate-limiting the workspace; details.retry_after says when to try again', {
    code: 'slack_rate_limited',
    message: "Slack is rate-limiting this workspace's requests: try again in 30 s",
    details: { retry_after: 30 },
  }),
  502: errorResponse(
    'Slack could not be reached or answered an error',
    { code: 'slack_unreachable', message: 'Could not reach Slack: connect ETIMEDOUT' },
    { code: 'slack_error', message: 'Slack answered internal_error', details: { slack_error: 'internal_error' } },
  ),
};

export function connectionChannelRoutes(ctx: AppContext) {
  const r = createRouter();
  const picker = new ChannelPicker(ctx);

  r.openapi(
    createRoute({
      method: 'get', path: '/v1/connections/{connection_id}/channels', tags, security: bearerSecurity,
      summary: 'Channels the bot can post to (public with channels:read, private with groups:read), a page at a time, cached for a minute',
      request: {
        params: Params,
        query: z.object({
          cursor: z.string().max(500).optional().openapi({ description: 'next_cursor of the previous page' }),
          limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().openapi({ description: `Channels Slack is asked for per page (1 to ${MAX_PAGE_SIZE}, default 200); some may be left out as not postable` }),
        }),
      },
      responses: { 200: json(ChannelPageSchema, 'One page of channels'), ...errorResponses, ...slackErrors },
    }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const q = c.req.valid('query');
      return c.json(await picker.list(projectId, c.req.valid('param').connection_id, { cursor: q.cursor, limit: q.limit }), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get', path: '/v1/connections/{connection_id}/users/lookup', tags, security: bearerSecurity,
      summary: 'Find a Slack user by email for a DM destination (users.lookupByEmail; conversations.open checks a DM can be opened)',
      request: {
        params: Params,
        // Checked after the connection, so another project's connection id is a 404 like any other.
        query: z.object({ email: z.string().optional().openapi({ description: 'Required: the address to look up', example: 'alice@example.com' }) }),
      },
      responses: { 200: json(SlackUserSchema, 'The user'), ...errorResponses, ...slackErrors },
    }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      return c.json(await findSlackUserByEmail(ctx, projectId, c.req.valid('param').connection_id, c.req.valid('query').email), 200);
    },
  );

  return r;
}
