/**
 * Telling a statement the database refused from a connection that failed. A refusal is an answer
 * (an SQLSTATE and a severity, from PostgreSQL or PGlite): the statement was rolled back and can
 * be tried again, alone or otherwise. A dropped connection (class 08, or 57 for a server shutting
 * down) or a Node socket error says nothing of whether the statement committed.
 */
export function isRefusedStatement(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  return (
    typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string' && !e.code.startsWith('08') && !e.code.startsWith('57')
  );
}

const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres's own words when the pool cannot connect in time or a connection ends mid-query.
const CONNECTION_MESSAGES = /timeout exceeded when trying to connect|not currently accepting connections|the database system is (?:starting up|shutting down|in recovery mode)|Connection terminated|Query read timeout|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end/i;

/**
 * True when the database could not be reached or did not answer in time: a dropped or refused
 * connection, a server shutting down (class 57P0x), a statement cancelled by statement_timeout
 * (57014) or lock_timeout (55P03), or the pool's connect / query timeouts. The request may succeed
 * if tried again later: the HTTP edge answers 503 database_unavailable with Retry-After.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errno?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '57014' || code === '55P03' || code === '53300') return true;
  if (CONNECTION_ERRNOS.has(code)) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  // AggregateError (several addresses refused) and wrapped causes.
  const inner = (e as { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.some(isDatabaseUnavailable)) return true;
  return e.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause);
}

/** PostgreSQL refused text it cannot store: U+0000 (22P05 in jsonb, 22021 in text) or an unpaired surrogate. */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22P05' || code === '22021';
}
