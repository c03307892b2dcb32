/**
 * The emulator's clock: the injected clock plus an offset the control API can move forward
 * (POST /_emulator/clock/advance), so a test driving the emulator from another process can expire
 * trigger ids, codes and rotating tokens, or bring scheduled messages due, without waiting.
 */
import type { Clock } from '../src/clock.ts';

export class EmulatorClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
