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
