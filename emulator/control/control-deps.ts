/** What the control API reaches into: the state and the machinery around it. */
import type { EmulatorClock } from '../emulator-clock.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { CallCounters } from '../rate-limits/call-counters.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import type { SocketModeHub } from '../socket-mode/socket-mode-hub.ts';
import type { EmulatorState } from '../state/emulator-state.ts';

export interface ControlDeps {
  state: EmulatorState;
  limits: RateLimiter;
  counters: CallCounters;
  faults: FaultInjector;
  socketMode: SocketModeHub;
  clock: EmulatorClock;
  /** Back to the starting point: empty, or the default workspace. */
  reset(options: { empty: boolean }): void;
  /** Whether the emulator started empty (the default for reset). */
  startedEmpty: boolean;
}
