/**
 * Reads a Web API request the way Slack does: arguments from the query string and from a JSON,
 * form-encoded or multipart body; the token from `Authorization: Bearer` or, for form bodies, the
 * `token` field ("Authorization: Bearer … (required with application/json bodies)" [D-OAUTH]);
 * client credentials from HTTP Basic auth (oauth.v2.access).
 */
import type { Context } from 'hono';
import { ApiArgs } from './api-args.ts';
import { SlackApiError } from './slack-api-error.ts';

export const TokenSource = { header: 'header', body: 'body', none: 'none' } as const;
export type TokenSource = (typeof TokenSource)[keyof typeof TokenSource];

export interface ApiRequest {
  args: ApiArgs;
  token?: string;
  tokenSource: TokenSource;
  basicAuth?: { user: string; password: string };
}

function parseBasic(header: string): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decodeURIComponent(decoded.slice(0, i)), password: decodeURIComponent(decoded.slice(i + 1)) };
}

async function readBody(c: Context): Promise<{ fields: Record<string, unknown>; json: boolean }> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return { fields: {}, json: false };
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const text = await c.req.text();
  if (type.includes('application/json')) {
    if (text.trim() === '') return { fields: {}, json: true };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SlackApiError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SlackApiError('json_not_object');
    return { fields: parsed as Record<string, unknown>, json: true };
  }
  if (type.includes('multipart/form-data')) {
    const form = await new Response(text, { headers: { 'content-type': c.req.header('content-type') as string } }).formData();
    const fields: Record<string, unknown> = {};
    form.forEach((value, key) => {
      if (typeof value === 'string') fields[key] = value;
    });
    return { fields, json: false };
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('text/plain') || type === '') {
    return { fields: Object.fromEntries(new URLSearchParams(text)), json: false };
  }
  throw new SlackApiError('invalid_post_type');
}

export async function readApiRequest(c: Context): Promise<ApiRequest> {
  const query = Object.fromEntries(new URL(c.req.url).searchParams);
  const body = await readBody(c);
  const fields: Record<string, unknown> = { ...query, ...body.fields };
  const authorization = c.req.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const basicAuth = parseBasic(authorization);
  let token: string | undefined;
  let tokenSource: TokenSource = TokenSource.none;
  if (bearer) {
    token = bearer;
    tokenSource = TokenSource.header;
  } else if (!body.json && typeof fields.token === 'string' && fields.token !== '') {
    token = fields.token;
    tokenSource = TokenSource.body;
  }
  delete fields.token;
  return { args: new ApiArgs(fields), token, tokenSource, basicAuth };
}
