/** Slack connections of the calling project: register one from a bot token, list, get, delete. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import * as connections from '../../connections/connection-store.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { ConnectionSchema, errorResponse, errorResponses } from '../schemas.ts';

const Params = z.object({ connection_id: z.string().openapi({ param: { name: 'connection_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Connections'];

export function connectionRoutes(ctx: AppContext) {
  const r = createRouter();

  r.openapi(
    createRoute({ method: 'post', path: '/v1/connections', tags, security: bearerSecurity,
      summary: 'Connect a Slack workspace by pasting a bot token (checked with auth.test, stored encrypted)',
      request: { body: { content: { 'application/json': { schema: z.object({ bot_token: z.string().min(1).max(500) }).strict().openapi('ConnectionInput') } }, required: true } },
      responses: { 201: json(ConnectionSchema, 'Connected'), ...errorResponses, 422: errorResponse('Slack rejected the token', { code: 'slack_token_rejected', message: "Slack rejected the bot token (invalid_auth): paste the current Bot User OAuth Token from the app's OAuth & Permissions page", details: { slack_error: 'invalid_auth' } }) } }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const connection = await connections.createConnectionFromToken(ctx.db, ctx.keyring, projectId, c.req.valid('json').bot_token, ctx.config.slackApiUrl);
      ctx.logger.info({ project_id: projectId, connection_id: connection.id, team_id: connection.team_id }, 'slack connection saved');
      ctx.onDeliveriesChanged?.(); // held queues of this connection may resume
      return c.json(connection, 201);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/connections', tags, security: bearerSecurity, summary: 'List connections',
      responses: { 200: json(z.object({ connections: z.array(ConnectionSchema) }), 'Connections'), ...errorResponses } }),
    async (c) => c.json({ connections: await connections.listConnections(ctx.db, await scopedProject(ctx, c)) }, 200),
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/connections/{connection_id}', tags, security: bearerSecurity, summary: 'Get a connection',
      request: { params: Params }, responses: { 200: json(ConnectionSchema, 'The connection'), ...errorResponses } }),
    async (c) => c.json(await connections.getConnection(ctx.db, await scopedProject(ctx, c), c.req.valid('param').connection_id), 200),
  );

  r.openapi(
    createRoute({ method: 'delete', path: '/v1/connections/{connection_id}', tags, security: bearerSecurity, summary: 'Delete a connection no destination uses',
      request: { params: Params }, responses: { 204: { description: 'Deleted' }, ...errorResponses, 409: errorResponse('Still used by destinations', { code: 'conflict', message: 'Connection con_01jf3z8n5q0000000000000000 is used by 2 destination(s): delete or move them first', details: { destinations: 2 } }) } }),
    async (c) => {
      await connections.deleteConnection(ctx.db, await scopedProject(ctx, c), c.req.valid('param').connection_id);
      return c.body(null, 204);
    },
  );

  return r;
}
