/** What a probe returns while what it waits for has not happened yet. */
type NotYet = undefined | null | false;

export type Probe<T> = () => T | NotYet | Promise<T | NotYet>;

/**
 * Polls `probe` every 20 ms until it returns something truthy and resolves to that; rejects naming
 * `what` after `timeoutMs`.
 */
export async function waitFor<T>(what: string, probe: Probe<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
