/**
 * The emulator's notion of "now". Tests move it forward instead of sleeping, so token expiry and
 * `meta.lastModified` can be exercised in milliseconds, in process or through `/_emulator/clock`.
 */
export interface EmulatorClock {
  /** Milliseconds since the epoch, wall clock plus every advance so far. */
  now(): number;
  advance(milliseconds: number): void;
  reset(): void;
}

export function createEmulatorClock(wallClock: () => number = Date.now): EmulatorClock {
  let offset = 0;
  return {
    now: () => wallClock() + offset,
    advance(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) {
        throw new RangeError(`The clock only moves forward (got ${milliseconds} ms)`);
      }
      offset += milliseconds;
    },
    reset() {
      offset = 0;
    },
  };
}

/** RAM writes instants to the second: `2020-02-14T03:58:59Z` (the SCIM guide's examples). */
export function formatRamInstant(milliseconds: number): string {
  return `${new Date(milliseconds).toISOString().slice(0, 19)}Z`;
}
