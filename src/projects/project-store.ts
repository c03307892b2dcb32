/**
 * Projects (tenants) and their API keys. Every query that reads or changes a project's data takes
 * the project id, so one project can never see another's rows.
 */
import type { Database, Queryable } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { generateKey, PROJECT_KEY_PREFIX } from './api-key.ts';

export interface Project {
  id: string;
  name: string;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyInfo {
  id: string;
  project_id: string;
  name: string;
  /** Never the key itself: the last four characters, to recognise it. */
  key_hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const PROJECT_COLUMNS = `id, name, settings, created_at::text AS created_at, updated_at::text AS updated_at`;
const KEY_COLUMNS = `id, project_id, name, '${PROJECT_KEY_PREFIX}…' || last4 AS key_hint,
  created_at::text AS created_at, last_used_at::text AS last_used_at, revoked_at::text AS revoked_at`;

function checkName(name: string, what: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new ValidationError(`${what} name must be 1 to 200 characters`, { field: 'name' });
  return trimmed;
}

export async function createProject(
  db: Database,
  input: { name: string; settings?: Record<string, unknown> },
): Promise<{ project: Project; apiKey: { id: string; key: string } }> {
  const name = checkName(input.name, 'Project');
  return db.transaction(async (tx) => {
    const id = newId('prj');
    const { rows } = await tx.query<Project>(
      `INSERT INTO projects (id, name, settings) VALUES ($1, $2, $3) RETURNING ${PROJECT_COLUMNS}`,
      [id, name, JSON.stringify(input.settings ?? {})],
    );
    const apiKey = await insertApiKey(tx, id, 'Default key');
    return { project: rows[0], apiKey };
  });
}

export async function listProjects(db: Queryable): Promise<Project[]> {
  return (await db.query<Project>(`SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY created_at, id`)).rows;
}

export async function getProject(db: Queryable, id: string): Promise<Project> {
  const { rows } = await db.query<Project>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError('Project', id);
  return rows[0];
}

export async function updateProject(
  db: Queryable,
  id: string,
  patch: { name?: string; settings?: Record<string, unknown> },
): Promise<Project> {
  const name = patch.name === undefined ? null : checkName(patch.name, 'Project');
  const { rows } = await db.query<Project>(
    `UPDATE projects SET name = coalesce($2, name), settings = coalesce($3::jsonb, settings), updated_at = now()
     WHERE id = $1 RETURNING ${PROJECT_COLUMNS}`,
    [id, name, patch.settings === undefined ? null : JSON.stringify(patch.settings)],
  );
  if (!rows[0]) throw new NotFoundError('Project', id);
  return rows[0];
}

export async function deleteProject(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM projects WHERE id = $1', [id]);
  if (!rowCount) throw new NotFoundError('Project', id);
}

async function insertApiKey(tx: Queryable, projectId: string, name: string): Promise<{ id: string; key: string }> {
  const generated = generateKey(PROJECT_KEY_PREFIX);
  const id = newId('key');
  await tx.query('INSERT INTO api_keys (id, project_id, name, key_hash, last4) VALUES ($1, $2, $3, $4, $5)', [
    id,
    projectId,
    name,
    generated.hash,
    generated.last4,
  ]);
  return { id, key: generated.key };
}

export async function createApiKey(db: Database, projectId: string, name = 'API key'): Promise<{ info: ApiKeyInfo; key: string }> {
  await getProject(db, projectId);
  const { id, key } = await insertApiKey(db, projectId, checkName(name, 'Key'));
  const { rows } = await db.query<ApiKeyInfo>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id]);
  return { info: rows[0], key };
}

export async function listApiKeys(db: Queryable, projectId: string): Promise<ApiKeyInfo[]> {
  return (
    await db.query<ApiKeyInfo>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at, id`, [projectId])
  ).rows;
}

export async function revokeApiKey(db: Queryable, projectId: string, keyId: string): Promise<ApiKeyInfo> {
  const { rows } = await db.query<ApiKeyInfo>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND project_id = $2 RETURNING ${KEY_COLUMNS}`,
    [keyId, projectId],
  );
  if (!rows[0]) throw new NotFoundError('API key', keyId);
  return rows[0];
}
