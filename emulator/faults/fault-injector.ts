/**
 * Faults on demand: the next N calls of a Web API method (or posts to a webhook) answer an HTTP
 * 5xx, hang before answering, drop the connection, or answer a chosen Slack error. Tests use them
 * to prove that a sender retries what is transient and holds what is broken.
 */
import { ValidationError } from '../../src/errors.ts';

export const FaultKind = {
  /** Answer an HTTP error status (5xx by default) with an HTML body, like Slack's error pages. */
  httpError: 'http_error',
  /** Hold the request for `hang_ms`, then process it normally (a slow Slack that still posts). */
  hang: 'hang',
  /** Destroy the connection without answering. */
  drop: 'drop',
  /** Answer a Slack error: `{ok:false,error}` for the Web API, the error's text and status for webhooks. */
  slackError: 'slack_error',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export interface FaultSpec {
  kind: FaultKind;
  /** A Web API method name such as chat.postMessage, or "*" for every method. */
  method?: string;
  /** A webhook URL, its path, its id (B…), or "*" for every webhook. */
  webhook?: string;
  /** Only calls made with a token of this workspace (Web API) or to its webhooks. */
  team_id?: string;
  /** How many calls it affects (default 1). */
  count?: number;
  /** http_error: the status (default 500); slack_error on a webhook: the status (default Slack's for that error). */
  status?: number;
  /** http_error: the body (default a small HTML error page). */
  body?: string;
  /** slack_error: the error code, e.g. internal_error, invalid_auth, action_prohibited. */
  error?: string;
  /** hang: how long to hold the request, in milliseconds (default 15,000). */
  hang_ms?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
  hits: number;
}

export const DEFAULT_HANG_MS = 15_000;

export class FaultInjector {
  private faults: Fault[] = [];
  private counter = 0;

  add(spec: FaultSpec): Fault {
    if (!Object.values(FaultKind).includes(spec.kind)) throw new ValidationError(`kind must be one of ${Object.values(FaultKind).join(', ')}`);
    if (!spec.method === !spec.webhook) throw new ValidationError('name either a method or a webhook');
    if (spec.kind === FaultKind.slackError && !spec.error) throw new ValidationError('a slack_error fault needs an error, e.g. "internal_error"');
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
      throw new ValidationError('status must be an HTTP status code');
    }
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new ValidationError('count must be a positive integer');
    this.counter += 1;
    const fault: Fault = { ...spec, id: `fault-${this.counter}`, remaining: count, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to this Web API call, spending one of its uses. */
  takeForMethod(method: string, teamId: string | undefined): Fault | undefined {
    return this.take((f) => f.method !== undefined && (f.method === '*' || f.method === method) && (!f.team_id || f.team_id === teamId));
  }

  /** The fault that applies to a post to this webhook, spending one of its uses. */
  takeForWebhook(hook: { id: string; teamId: string; path: string }): Fault | undefined {
    return this.take((f) => {
      if (f.webhook === undefined) return false;
      if (f.team_id && f.team_id !== hook.teamId) return false;
      return f.webhook === '*' || f.webhook === hook.id || f.webhook === hook.path || f.webhook.endsWith(hook.path);
    });
  }

  private take(match: (f: Fault) => boolean): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    const fault = this.faults.find(match);
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}
