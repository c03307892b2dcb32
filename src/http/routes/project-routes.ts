/** Projects (admin) and their API keys (admin, or the project's own key). */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { NotFoundError } from '../../errors.ts';
import * as projects from '../../projects/project-store.ts';
import { canSeeProject, requireAdmin } from '../authenticate.ts';
import { bearerSecurity, createRouter } from '../router.ts';
import { ApiKeySchema, DisplayName, errorResponses, NewApiKeySchema, ProjectSchema, ProjectSettings } from '../schemas.ts';

const ProjectInput = z.object({ name: DisplayName, settings: ProjectSettings.optional() }).strict().openapi('ProjectInput');
const ProjectPatch = ProjectInput.partial().openapi('ProjectPatch');
const ProjectParams = z.object({ project_id: z.string().openapi({ param: { name: 'project_id', in: 'path' } }) });
const KeyParams = ProjectParams.extend({ key_id: z.string().openapi({ param: { name: 'key_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Projects'];

export function projectRoutes(ctx: AppContext) {
  const r = createRouter();
  const visible = (caller: Parameters<typeof canSeeProject>[0], id: string) => {
    if (!canSeeProject(caller, id)) throw new NotFoundError('Project', id);
  };

  r.openapi(
    createRoute({ method: 'post', path: '/v1/projects', tags, security: bearerSecurity, summary: 'Create a project (admin key); returns its first API key once',
      request: { body: { content: { 'application/json': { schema: ProjectInput } }, required: true } },
      responses: { 201: json(z.object({ project: ProjectSchema, api_key: z.object({ id: z.string(), key: z.string() }) }), 'Created'), ...errorResponses } }),
    async (c) => {
      requireAdmin(c.get('caller'));
      const created = await projects.createProject(ctx.db, c.req.valid('json'));
      return c.json({ project: created.project, api_key: created.apiKey }, 201);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/projects', tags, security: bearerSecurity, summary: 'List projects (admin: all; project key: its own)',
      responses: { 200: json(z.object({ projects: z.array(ProjectSchema) }), 'Projects'), ...errorResponses } }),
    async (c) => {
      const caller = c.get('caller');
      const list = caller.kind === 'admin' ? await projects.listProjects(ctx.db) : [await projects.getProject(ctx.db, caller.projectId)];
      return c.json({ projects: list }, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/projects/{project_id}', tags, security: bearerSecurity, summary: 'Get a project',
      request: { params: ProjectParams }, responses: { 200: json(ProjectSchema, 'The project'), ...errorResponses } }),
    async (c) => {
      const { project_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      return c.json(await projects.getProject(ctx.db, project_id), 200);
    },
  );

  r.openapi(
    createRoute({ method: 'patch', path: '/v1/projects/{project_id}', tags, security: bearerSecurity, summary: 'Rename a project or change its settings',
      request: { params: ProjectParams, body: { content: { 'application/json': { schema: ProjectPatch } }, required: true } },
      responses: { 200: json(ProjectSchema, 'The updated project'), ...errorResponses } }),
    async (c) => {
      const { project_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      return c.json(await projects.updateProject(ctx.db, project_id, c.req.valid('json')), 200);
    },
  );

  r.openapi(
    createRoute({ method: 'delete', path: '/v1/projects/{project_id}', tags, security: bearerSecurity, summary: 'Delete a project and everything in it (admin key)',
      request: { params: ProjectParams }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      const { project_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      requireAdmin(c.get('caller'));
      await projects.deleteProject(ctx.db, project_id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/projects/{project_id}/api-keys', tags, security: bearerSecurity, summary: 'Create an API key (shown once)',
      request: { params: ProjectParams, body: { content: { 'application/json': { schema: z.object({ name: DisplayName.optional() }).strict() } }, required: false } },
      responses: { 201: json(NewApiKeySchema, 'Created: store the key now, it is not shown again'), ...errorResponses } }),
    async (c) => {
      const { project_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      const body = await c.req.json().catch(() => ({}));
      const created = await projects.createApiKey(ctx.db, project_id, typeof body?.name === 'string' ? body.name : undefined);
      return c.json({ api_key: created.info, key: created.key }, 201);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/projects/{project_id}/api-keys', tags, security: bearerSecurity, summary: 'List API keys (never the keys themselves)',
      request: { params: ProjectParams }, responses: { 200: json(z.object({ api_keys: z.array(ApiKeySchema) }), 'Keys'), ...errorResponses } }),
    async (c) => {
      const { project_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      await projects.getProject(ctx.db, project_id);
      return c.json({ api_keys: await projects.listApiKeys(ctx.db, project_id) }, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'delete', path: '/v1/projects/{project_id}/api-keys/{key_id}', tags, security: bearerSecurity, summary: 'Revoke an API key',
      request: { params: KeyParams }, responses: { 200: json(ApiKeySchema, 'The revoked key'), ...errorResponses } }),
    async (c) => {
      const { project_id, key_id } = c.req.valid('param');
      visible(c.get('caller'), project_id);
      return c.json(await projects.revokeApiKey(ctx.db, project_id, key_id), 200);
    },
  );

  return r;
}
