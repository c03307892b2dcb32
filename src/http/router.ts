/**
 * A router for one group of routes: OpenAPIHono, so each route's schemas both validate requests
 * and feed /openapi.json. Validation failures become one clear 400 listing every problem.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../errors.ts';
import { getProject } from '../projects/project-store.ts';
import { PROJECT_HEADER, projectOf, type HttpEnv } from './authenticate.ts';

interface Issue {
  path: PropertyKey[];
  message: string;
}

export function describeIssues(issues: readonly Issue[]): { message: string; issues: { path: string; message: string }[] } {
  const list = issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
  return { message: list.map((i) => `${i.path}: ${i.message}`).join('; '), issues: list };
}

export function createRouter(): OpenAPIHono<HttpEnv> {
  return new OpenAPIHono<HttpEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const { message, issues } = describeIssues(result.error.issues);
        throw new ValidationError(`Invalid request: ${message}`, { issues });
      }
    },
  });
}

/** The project this request acts on; for the admin key, the named project must exist. */
export async function scopedProject(ctx: AppContext, c: Context<HttpEnv>): Promise<string> {
  const caller = c.get('caller');
  const projectId = projectOf(caller, c.req.header(PROJECT_HEADER));
  if (caller.kind === 'admin') await getProject(ctx.db, projectId);
  return projectId;
}

export const bearerSecurity = [{ bearerAuth: [] }];
