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

/**
 * One message's budget; pass it to every Context the message renders with. With a `parent` (the
 * budget of the whole request a message belongs to), every step and every character also counts
 * against the parent, so a batch of messages that each stay just under their own limit still
 * cannot hold the event loop for long.
 */
/** Units of work (steps and allocations) before the deadline is looked at. */
const CLOCK_AFTER_WORK = 1024;

export class RenderBudget {
  readonly renderLimit: { check(now: number): void; use(count: number): void };
  readonly memoryLimit: { check(count: number): void; use(count: number): void };
  #steps = 0;
  #memory = 0;
  #work = 0;
  readonly #deadline: number;

  constructor(
    readonly limits: RenderLimits = defaults,
    now = performance.now(),
    private readonly parent?: RenderBudget,
  ) {
    this.#deadline = now + limits.timeMs;
    this.renderLimit = {
      check: (time: number) => this.step(time),
      use: () => {},
    };
    this.memoryLimit = {
      check: () => {},
      use: (count: number) => this.allocate(count),
    };
  }

  /** Counts one step. */
  step(time?: number): void {
    this.#steps += 1;
    if (this.#steps > this.limits.steps) throw new RenderBudgetExceeded('steps', this.limits);
    this.#worked(time);
    this.parent?.step(time);
  }

  /** Charges what a filter builds (a filter that builds big strings is also where time goes). */
  allocate(count: number): void {
    if (!(+count > 0)) return;
    this.#memory += +count;
    if (this.#memory > this.limits.memory) throw new RenderBudgetExceeded('memory', this.limits);
    this.#worked();
    this.parent?.allocate(count);
  }

  /**
   * Looks at the clock every 64th unit of work, and only once a render has done more work than any
   * ordinary message (a few dozen units): a GC pause or a busy machine must never fail an
   * ordinary message, only one that loops or builds at length.
   */
  #worked(time?: number): void {
    this.#work += 1;
    if (this.#work >= CLOCK_AFTER_WORK && (this.#work & 63) === 0) this.checkTime(time ?? performance.now());
  }

  checkTime(now: number): void {
    if (now > this.#deadline) throw new RenderBudgetExceeded('time', this.limits);
    this.parent?.checkTime(now);
  }

  /** A budget for one message that also counts against this one. */
  child(limits: RenderLimits = defaults): RenderBudget {
    return new RenderBudget(limits, performance.now(), this);
  }

  get stepsTaken(): number {
    return this.#steps;
  }
}

/** How many messages' worth of budget one request (a batch of up to 500 events) may spend in all. */
export const REQUEST_BUDGET_MESSAGES = 10;

/** The budget of one ingest request: ten messages' worth, however many events it carries. */
export function requestRenderBudget(limits: RenderLimits = defaults): RenderBudget {
  return new RenderBudget({ timeMs: limits.timeMs * REQUEST_BUDGET_MESSAGES, steps: limits.steps * REQUEST_BUDGET_MESSAGES, memory: limits.memory * REQUEST_BUDGET_MESSAGES });
}
