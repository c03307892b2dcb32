/**
 * "Connect Slack" over HTTP: a project's admin asks for an install link, Slack sends the installer
 * back to /oauth/callback (no API key there: the single-use state is the proof), and a connection
 * can be disconnected. The callback answers HTML for a person, never JSON or a stack trace; every
 * failure is status 400 with what happened and what to do.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../../app-context.ts';
import { completeInstall } from '../../oauth/complete-install.ts';
import { disconnectConnection } from '../../oauth/disconnect-connection.ts';
import { installCrashedPage, installFailedPage, installSucceededPage } from '../../oauth/install-result-page.ts';
import { OAUTH_CALLBACK_PATH, redirectUrlFor } from '../../oauth/oauth-deps.ts';
import { InstallError } from '../../oauth/oauth-errors.ts';
import { startInstall } from '../../oauth/start-install.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { DisconnectResultSchema, errorResponse, errorResponses, InstallLinkSchema } from '../schemas.ts';

const Params = z.object({ connection_id: z.string().openapi({ param: { name: 'connection_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Connections'];

const InstallInput = z
  .object({ team_id: z.string().regex(/^T[A-Z0-9]{2,}$/, 'a Slack team id such as T0123ABCD').optional().openapi({ description: 'Pin the install to this workspace' }) })
  .strict()
  .openapi('InstallInput');

// The code and state are in the address: keep them out of Referer headers, caches and frames.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

function htmlPage(c: Context, html: string, status: 200 | 400 | 500): Response {
  return c.body(html, status, PAGE_HEADERS);
}

export function oauthRoutes(ctx: AppContext) {
  const r = createRouter();

  r.openapi(
    createRoute({
      method: 'post', path: '/v1/connections/install', tags, security: bearerSecurity,
      summary: "Start connecting a Slack workspace: a link to Slack's authorize page, for this project, valid once for 10 minutes",
      request: { body: { content: { 'application/json': { schema: InstallInput } }, required: false } },
      responses: { 201: json(InstallLinkSchema, 'Send the installer to url'), ...errorResponses, 501: errorResponse('No Slack app is configured', { code: 'oauth_not_configured', message: 'No Slack app is configured: set SWITCHBOARD_SLACK_CLIENT_ID and SWITCHBOARD_SLACK_CLIENT_SECRET' }) },
    }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const body = (c.req.valid('json') as z.infer<typeof InstallInput> | undefined) ?? {};
      const link = await startInstall(ctx, projectId, { teamId: body.team_id });
      ctx.logger.info({ project_id: projectId, scopes: link.scopes }, 'slack install link issued');
      return c.json({ url: link.url, expires_at: link.expiresAt.toISOString(), scopes: link.scopes, redirect_uri: redirectUrlFor(ctx.config.publicUrl) }, 201);
    },
  );

  r.get(OAUTH_CALLBACK_PATH, async (c) => {
    const q = c.req.query();
    try {
      const done = await completeInstall(ctx, { code: q.code, state: q.state, error: q.error });
      // Ingest's routing cache in this process sees the new webhook destination at once, and a
      // reconnect's resumed destinations send their held queues now.
      ctx.catalog.invalidate();
      ctx.onDeliveriesChanged?.();
      return htmlPage(c, installSucceededPage(done), 200);
    } catch (error) {
      if (error instanceof InstallError) {
        ctx.logger.warn({ problem: error.problem, slack_error: error.details?.slack_error }, 'slack install did not finish');
        return htmlPage(c, installFailedPage(error), 400);
      }
      ctx.logger.error({ err: error }, 'slack install failed');
      return htmlPage(c, installCrashedPage(), 500);
    }
  });

  r.openapi(
    createRoute({
      method: 'post', path: '/v1/connections/{connection_id}/disconnect', tags, security: bearerSecurity,
      summary: "Disconnect a Slack workspace: revoke and delete its tokens, pause its destinations (history kept); a new install resumes them",
      request: { params: Params },
      responses: { 200: json(DisconnectResultSchema, 'Disconnected'), ...errorResponses },
    }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const result = await disconnectConnection(ctx, projectId, c.req.valid('param').connection_id);
      return c.json(
        { connection: result.connection, slack_revoked: result.slackRevoked, revoke_note: result.revokeNote ?? null, destinations_paused: result.destinationsPaused },
        200,
      );
    },
  );

  return r;
}
