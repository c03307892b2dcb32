/**
 * A PageSource built from plain data, for tests and previews of the page without the emulator's
 * state: `update` changes the data and notifies subscribers, as the real state does after a post.
 */
import type { PageSource, PageWorkspace } from './page-source.ts';

export interface FakePageSource extends PageSource {
  /** Applies a change to the data, then notifies every subscriber. */
  update(change: (workspaces: PageWorkspace[]) => void): void;
  /** How many listeners are subscribed now (an open page holds one). */
  listenerCount(): number;
}

export function createFakePageSource(initial: PageWorkspace[] = []): FakePageSource {
  const data = structuredClone(initial);
  const listeners = new Set<() => void>();
  return {
    workspaces: () => structuredClone(data),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(change) {
      change(data);
      for (const listener of [...listeners]) listener();
    },
    listenerCount: () => listeners.size,
  };
}
