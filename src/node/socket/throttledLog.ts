/** The quiet time after a logged refusal; refusals meanwhile are counted into the next line. */
const QUIET_MS = 5_000;

/**
 * A log for refusals that anyone on the machine can cause: the first one is written at once; the
 * rest, until QUIET_MS has passed, are counted and written as one line with the latest reason.
 */
export function throttledLog(write: (count: number, why: string) => void, quietMs = QUIET_MS): (why: string) => void {
  let quietUntil = 0;
  let held = 0;
  let lastWhy = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (held > 0) write(held, lastWhy);
    held = 0;
    quietUntil = Date.now() + quietMs;
  };
  return (why) => {
    if (Date.now() >= quietUntil && timer === undefined) {
      write(1, why);
      quietUntil = Date.now() + quietMs;
      return;
    }
    held++;
    lastWhy = why;
    timer ??= setTimeout(flush, Math.max(0, quietUntil - Date.now())).unref();
  };
}

/** Refused connections of one server, logged through a throttle: "<server>: refused 12 connections: <latest why>". */
export function refusalLog(server: string, log: (message: string) => void): (why: string) => void {
  return throttledLog((count, why) => log(`${server}: refused ${count === 1 ? 'a connection' : `${count} connections`}: ${why}`));
}
