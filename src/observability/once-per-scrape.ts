/**
 * Gauges read from a database at scrape time: every gauge of one scrape
 * shares one read, and a failed read gives null so the gauges keep their
 * last values and the scrape still answers.
 */
export function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T | null> {
  let last: Promise<T | null> | null = null;
  return () => {
    last ??= read()
      .catch(() => null)
      .finally(() => setImmediate(() => (last = null)));
    return last;
  };
}
