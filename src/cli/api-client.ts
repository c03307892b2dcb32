/**
 * The CLI's client for the REST API: the same endpoints a host app uses. Base URL and key come
 * from --api-url/--api-key or SWITCHBOARD_API_URL/SWITCHBOARD_API_KEY.
 */
export interface ApiOptions {
  apiUrl?: string;
  apiKey?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    const err = (body as { error?: { code?: string; message?: string } })?.error;
    super(err ? `${status} ${err.code}: ${err.message}` : `HTTP ${status}`);
  }
}

export async function callApi(options: ApiOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = (options.apiUrl ?? process.env.SWITCHBOARD_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const key = options.apiKey ?? process.env.SWITCHBOARD_API_KEY;
  if (!key) throw new Error('An API key is needed: pass --api-key or set SWITCHBOARD_API_KEY');
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}
