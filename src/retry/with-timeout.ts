/**
 * The promise's value, or null once `ms` have passed first. The work itself
 * is not called off (a DNS lookup on libuv's threads, a gauge's query): only
 * the wait for it ends. The timer keeps no process alive.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
