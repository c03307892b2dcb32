/**
 * The bound on rendering one message: a deadline, a count of steps (every list of Liquid nodes a
 * loop iteration or a string renders, every `$each` item) and the memory liquidjs's filters may
 * allocate, shared by every string of the message. Rendering is synchronous and runs on the
 * gateway's event loop, so an unbounded loop over event data would stall every tenant; a message
 * that needs more than this is refused (422 at ingest and preview, a failed render elsewhere).
 *
 * liquidjs calls `renderLimit.check(now)` before each template list it renders (so at every loop
 * iteration, even an empty one) and `memoryLimit.use(n)` where filters build strings or arrays;
 * a Context accepts these two objects in place of its own per-string limiters.
 */
import { SwitchboardError } from '../errors.ts';

export interface RenderLimits {
  /** Wall time for the whole message, in milliseconds. */
  timeMs: number;
  /** Steps for the whole message: deterministic, so the same template and data fail the same way on any machine. */
  steps: number;
  /** Characters / items filters may allocate for the whole message. */
  memory: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { timeMs: 100, steps: 200_000, memory: 10_000_000 };

let defaults: RenderLimits = DEFAULT_RENDER_LIMITS;

/** Sets the limits every later render uses (from configuration, at start-up). */
export function setDefaultRenderLimits(limits: Partial<RenderLimits>): void {
  defaults = { ...DEFAULT_RENDER_LIMITS, ...limits };
}

export function defaultRenderLimits(): RenderLimits {
  return defaults;
}

/** Thrown (inside liquidjs, then wrapped by it) when a message's render goes over its budget. */
export class RenderBudgetExceeded extends SwitchboardError {
  constructor(what: 'time' | 'steps' | 'memory', limits: RenderLimits) {
    const limit = what === 'time' ? `${limits.timeMs} ms` : what === 'steps' ? `${limits.steps.toLocaleString('en-US')} steps` : `${limits.memory.toLocaleString('en-US')} characters`;
    super(
      'render_limit_exceeded',
      `rendering went over its ${what} limit (${limit}): loops over event data multiply (a loop inside a loop over 400 items is 160,000 steps); loop over fewer items or fewer levels`,
      { limit: what },
    );
  }
}

/** One message's budget; pass it to every Context the message renders with. */
export class RenderBudget {
  readonly renderLimit: { check(now: number): void; use(count: number): void };
  readonly memoryLimit: { check(count: number): void; use(count: number): void };
  #steps = 0;
  #memory = 0;
  readonly #deadline: number;

  constructor(readonly limits: RenderLimits = defaults, now = performance.now()) {
    this.#deadline = now + limits.timeMs;
    this.renderLimit = {
      check: (time: number) => this.step(time),
      use: () => {},
    };
    this.memoryLimit = {
      check: () => {},
      use: (count: number) => {
        if (!(+count > 0)) return;
        this.#memory += +count;
        if (this.#memory > this.limits.memory) throw new RenderBudgetExceeded('memory', this.limits);
      },
    };
  }

  /** Counts one step; every 64th also looks at the clock (performance.now() costs more than the step). */
  step(time?: number): void {
    this.#steps += 1;
    if (this.#steps > this.limits.steps) throw new RenderBudgetExceeded('steps', this.limits);
    if ((this.#steps & 63) === 0 && (time ?? performance.now()) > this.#deadline) throw new RenderBudgetExceeded('time', this.limits);
  }

  get stepsTaken(): number {
    return this.#steps;
  }
}
