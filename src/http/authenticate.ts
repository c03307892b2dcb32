/**
 * Who is calling: the admin key (creates projects, may act on any project) or a project API key
 * (only its own project). Keys arrive as `Authorization: Bearer <key>`. An admin acting on a
 * project's resources names it in the `Switchboard-Project` header.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../app-context.ts';
import { SwitchboardError, UnauthorizedError } from '../errors.ts';
import { readAdminKeyHash } from '../projects/admin-key.ts';
import { hashApiKey, hashesMatch } from '../projects/api-key.ts';

export type Caller = { kind: 'admin' } | { kind: 'project'; projectId: string; keyId: string };

export type HttpEnv = { Variables: { caller: Caller } };

export const PROJECT_HEADER = 'Switchboard-Project';

export function authenticate(ctx: AppContext): MiddlewareHandler<HttpEnv> {
  // Only a hash that was read is kept: a failed read (the database down at start) is tried again
  // by the next request instead of failing every request until restart.
  let adminHash: { value: string | undefined } | undefined;
  let reading: Promise<string | undefined> | undefined;
  const readAdminHash = async () => {
    if (adminHash) return adminHash.value;
    reading ??= readAdminKeyHash(ctx.db).finally(() => (reading = undefined));
    const value = await reading;
    adminHash = { value };
    return value;
  };
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError();
    const key = match[1];
    const admin = await readAdminHash();
    if (admin && hashesMatch(admin, hashApiKey(key))) {
      c.set('caller', { kind: 'admin' });
    } else {
      const project = await ctx.apiKeys.lookup(key, ctx.clock.now());
      if (!project) throw new UnauthorizedError('The API key is unknown or revoked: create a new one with POST /v1/projects/{project_id}/api-keys');
      c.set('caller', { kind: 'project', ...project });
    }
    await next();
  };
}

/** The project a project-scoped request acts on. */
export function projectOf(caller: Caller, headerValue: string | undefined): string {
  if (caller.kind === 'project') return caller.projectId;
  if (!headerValue) {
    throw new SwitchboardError('project_required', `With the admin key, name the project in the ${PROJECT_HEADER} header (or use a project API key)`);
  }
  return headerValue;
}

/** A project id in the path is visible only to the admin and that project's own keys: others get 404. */
export function canSeeProject(caller: Caller, projectId: string): boolean {
  return caller.kind === 'admin' || caller.projectId === projectId;
}

export function requireAdmin(caller: Caller): void {
  if (caller.kind !== 'admin') throw new SwitchboardError('forbidden', 'This needs the admin key (SWITCHBOARD_ADMIN_KEY)');
}
