/**
 * Runs every closer, newest first, even when one throws: a Temporal
 * connection that fails to close (it does after its worker failed) must not
 * leave the database pool open behind it. Throws the one failure, or an
 * AggregateError naming them all, once every closer has run.
 */
export async function closeAll(closers: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  const failures: unknown[] = [];
  for (const close of [...closers].reverse()) {
    try {
      await close();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} parts failed to close: ${failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ')}`);
}
