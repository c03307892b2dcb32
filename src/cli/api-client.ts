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
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw unreachable(error, base);
  }
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

/** No answer from the gateway, as one line naming where the CLI looked. */
export class GatewayUnreachableError extends Error {}

function unreachable(error: unknown, base: string): Error {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') {
    return new GatewayUnreachableError(`gateway not running at ${base}: start it (npm start or switchboard start), or set SWITCHBOARD_API_URL / --api-url`);
  }
  const why = code ?? (cause as { message?: string } | undefined)?.message ?? (error as Error).message;
  return new GatewayUnreachableError(`cannot reach the gateway at ${base} (${why}): check SWITCHBOARD_API_URL / --api-url`);
}
