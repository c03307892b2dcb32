/**
 * What the emulator was asked and what it refused: calls per Web API method (and webhook posts)
 * and every 429 it sent, in total and per workspace. Tests read these through the control API to
 * prove, for example, that a sender never tripped a rate limit.
 */

export const WEBHOOK_COUNTER = 'incoming-webhook';

interface TeamCounts {
  calls: Map<string, number>;
  rateLimited: Map<string, number>;
}

export interface CountersSnapshot {
  calls: Record<string, number>;
  total_calls: number;
  rate_limited: { total: number; by_method: Record<string, number> };
  by_team: Record<string, { calls: Record<string, number>; rate_limited: number; rate_limited_by_method: Record<string, number> }>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<string, number>): number {
  let n = 0;
  for (const v of map.values()) n += v;
  return n;
}

export class CallCounters {
  private readonly calls = new Map<string, number>();
  private readonly rateLimited = new Map<string, number>();
  private readonly teams = new Map<string, TeamCounts>();

  private team(teamId: string): TeamCounts {
    let t = this.teams.get(teamId);
    if (!t) {
      t = { calls: new Map(), rateLimited: new Map() };
      this.teams.set(teamId, t);
    }
    return t;
  }

  /** One call to a method (or a webhook post, under WEBHOOK_COUNTER). */
  call(method: string, teamId?: string): void {
    bump(this.calls, method);
    if (teamId) bump(this.team(teamId).calls, method);
  }

  /** One 429 sent. */
  limited(method: string, teamId?: string): void {
    bump(this.rateLimited, method);
    if (teamId) bump(this.team(teamId).rateLimited, method);
  }

  /** Calls the team of which was only known after reading the token. */
  attributeCall(method: string, teamId: string): void {
    bump(this.team(teamId).calls, method);
  }

  reset(): void {
    this.calls.clear();
    this.rateLimited.clear();
    this.teams.clear();
  }

  snapshot(): CountersSnapshot {
    const byTeam: CountersSnapshot['by_team'] = {};
    for (const [id, t] of this.teams) {
      byTeam[id] = { calls: Object.fromEntries(t.calls), rate_limited: sum(t.rateLimited), rate_limited_by_method: Object.fromEntries(t.rateLimited) };
    }
    return {
      calls: Object.fromEntries(this.calls),
      total_calls: sum(this.calls),
      rate_limited: { total: sum(this.rateLimited), by_method: Object.fromEntries(this.rateLimited) },
      by_team: byTeam,
    };
  }
}
