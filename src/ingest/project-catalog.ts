/**
 * What ingest needs to know about a project on every event — its name, its routing table and its
 * own event types — kept in memory so accepting an event costs one database round trip.
 * Changes reach the cache two ways: this process clears it itself after any change it makes
 * (read-your-writes), and database triggers NOTIFY `project_changed` so every other process
 * clears it within milliseconds. A notification lost while the listening connection was down is
 * made up for when it comes back (everything is forgotten), and a 10-second lifetime bounds
 * staleness whatever happens.
 */
import type { Database, Queryable } from '../db/database.ts';
import type { SubjectPolicy } from '../event-types/event-type-definition.ts';
import { findEventTypes, type EventType } from '../event-types/event-type-store.ts';
import { loadRoutes, type Route } from './route-event.ts';

export interface ProjectSnapshot {
  name: string;
  routes: Route[];
  /** Destination facts the 202 answer shows. */
  destinations: Map<string, { name: string; kind: string; status: string; subject_policies: Record<string, SubjectPolicy> }>;
  eventType(name: string): Promise<EventType | undefined>;
}

export const CATALOG_LIFETIME_MS = 10_000;

export class ProjectCatalog {
  #entries = new Map<string, { at: number; snapshot: Promise<ProjectSnapshot> }>();
  #unlisten?: () => Promise<void>;

  constructor(private readonly db: Queryable) {}

  /** Subscribes to change notifications from other processes. */
  async start(db: Database): Promise<void> {
    this.#unlisten = await db.listen('project_changed', (projectId) => this.invalidate(projectId || undefined), { onResync: () => this.invalidate() });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
  }

  /** Forgets one project (or every project). */
  invalidate(projectId?: string): void {
    if (projectId) this.#entries.delete(projectId);
    else this.#entries.clear();
  }

  get(projectId: string, now = Date.now()): Promise<ProjectSnapshot> {
    const hit = this.#entries.get(projectId);
    if (hit && now - hit.at >= 0 && now - hit.at < CATALOG_LIFETIME_MS) return hit.snapshot;
    const snapshot = this.#load(projectId);
    this.#entries.set(projectId, { at: now, snapshot });
    snapshot.catch(() => this.#entries.delete(projectId));
    return snapshot;
  }

  async #load(projectId: string): Promise<ProjectSnapshot> {
    const [project, routes, destinations] = await Promise.all([
      this.db.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [projectId]),
      loadRoutes(this.db, projectId),
      this.db.query<{ id: string; name: string; kind: string; status: string; subject_policies: Record<string, SubjectPolicy> }>(
        'SELECT id, name, kind, status, subject_policies FROM destinations WHERE project_id = $1',
        [projectId],
      ),
    ]);
    const types = new Map<string, Promise<EventType | undefined>>();
    return {
      name: project.rows[0]?.name ?? '',
      routes,
      destinations: new Map(destinations.rows.map((d) => [d.id, d])),
      eventType: (name) => {
        let t = types.get(name);
        if (!t) {
          t = findEventTypes(this.db, projectId, [name]).then((m) => m.get(name));
          types.set(name, t);
        }
        return t;
      },
    };
  }
}
