/**
 * Runs `fn` with mocha's uncaughtException handlers set aside and returns what reached the process as
 * uncaught meanwhile, including what surfaced one turn of the event loop after `fn` ended: the errors
 * of listeners that are reported out of band.
 */
export async function uncaughtDuring(fn: () => Promise<void> | void): Promise<unknown[]> {
  const errors: unknown[] = [];
  const onError = (error: unknown): void => void errors.push(error);
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onError);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener('uncaughtException', onError);
    for (const listener of saved) process.on('uncaughtException', listener);
  }
  return errors;
}
