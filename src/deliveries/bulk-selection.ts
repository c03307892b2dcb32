/**
 * Choosing the deliveries a bulk operation acts on, in queue order (`seq`), optionally one chunk
 * at a time: a caller that wants to show progress passes `limit` and then the `next_cursor` of
 * each answer until it is null. Rows are locked for the caller's transaction.
 */
import type { Queryable } from '../db/database.ts';
import { ValidationError } from '../errors.ts';

export const MAX_CHUNK = 1000;

export interface BulkOptions {
  /** At most this many per call (1 to 1000); all at once when omitted. */
  limit?: number;
  /** next_cursor of the previous call. */
  cursor?: string;
}

export interface BulkResult {
  /** How many matched when this call began (from the cursor on), including those it changed. */
  matched: number;
  /** The deliveries this call changed, in queue order. */
  delivery_ids: string[];
  /** Pass it back to continue; null when nothing is left. */
  next_cursor: string | null;
}

export interface Chunk {
  matched: number;
  chosen: { id: string; seq: string }[];
  more: boolean;
  /** The cursor this call started from (a queue position), if any. */
  afterSeq: string | null;
}

export function parseBulkOptions(options: BulkOptions): { limit: number | null; afterSeq: string | null } {
  const limit = options.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHUNK)) {
    throw new ValidationError(`limit must be from 1 to ${MAX_CHUNK}`, { field: 'limit' });
  }
  const cursor = options.cursor ?? null;
  if (cursor !== null && !/^\d{1,18}$/.test(cursor)) {
    throw new ValidationError('cursor is not one this API returned: pass next_cursor from the previous answer unchanged', { field: 'cursor' });
  }
  return { limit, afterSeq: cursor };
}

/**
 * `where` is a condition on deliveries `d` using $1…$n for `params`; the cursor and limit are
 * appended after them.
 */
export async function selectChunk(tx: Queryable, where: string, params: unknown[], options: BulkOptions): Promise<Chunk> {
  const { limit, afterSeq } = parseBulkOptions(options);
  const n = params.length;
  const condition = `${where} AND ($${n + 1}::bigint IS NULL OR d.seq > $${n + 1}::bigint)`;
  const { rows: counted } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries d WHERE ${condition}`, [...params, afterSeq]);
  const { rows } = await tx.query<{ id: string; seq: string }>(
    `SELECT d.id, d.seq::text AS seq FROM deliveries d WHERE ${condition} ORDER BY d.seq LIMIT $${n + 2} FOR UPDATE`,
    [...params, afterSeq, limit === null ? null : limit + 1],
  );
  const more = limit !== null && rows.length > limit;
  return { matched: counted[0].n, chosen: more ? rows.slice(0, limit!) : rows, more, afterSeq };
}

export function bulkResult(chunk: Chunk): BulkResult {
  const last = chunk.chosen[chunk.chosen.length - 1];
  return { matched: chunk.matched, delivery_ids: chunk.chosen.map((r) => r.id), next_cursor: chunk.more && last ? last.seq : null };
}
