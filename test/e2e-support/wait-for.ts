/**
 * Polls `check` until it returns something other than undefined, for end-to-end tests where the
 * engine works asynchronously. `what` (a text or a function, for messages built from the last state)
 * names what was awaited when time runs out.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string | (() => string),
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
