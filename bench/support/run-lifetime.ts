/**
 * How a benchmark run ends, whichever way it ends: its children (dev server,
 * workers, databases, the Temporal server it started) are stopped when main
 * returns or throws, on SIGINT/SIGTERM/SIGHUP, when the process that started
 * it dies (npm or a shell killed: we are re-parented), when a deadline cuts
 * the run short, and when an error escapes. A run killed with SIGKILL cannot
 * clean up; its own children (worker-child) watch for that themselves
 * (exitWithParent).
 */
type Stop = () => Promise<unknown> | unknown;

interface Registered {
  name: string;
  stop: Stop;
}

const registered: Registered[] = [];
let ending = false;
/** Bound on each stop, so one that hangs cannot keep the others (or the exit) waiting. */
const STOP_TIMEOUT_MS = 20_000;

/** Adds `stop` to what the end of the run stops (last added, first stopped). */
export function onRunEnd(name: string, stop: Stop): void {
  registered.push({ name, stop });
}

/** Stops everything registered, newest first, each at most once. */
export async function stopAll(): Promise<void> {
  for (let r = registered.pop(); r; r = registered.pop()) {
    const { name, stop } = r;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
    try {
      const outcome = await Promise.race([Promise.resolve().then(stop), timeout]);
      if (outcome === 'timeout') console.error(`while stopping ${name}: no answer within ${STOP_TIMEOUT_MS / 1000} s, going on`);
    } catch (err) {
      console.error(`while stopping ${name}:`, err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Ends the run now: says why, stops its children, exits with `code`. Later calls are ignored. */
export function endRun(reason: string, code: number): void {
  if (ending) return;
  ending = true;
  console.error(`\n${reason}: stopping what this run started`);
  void stopAll().finally(() => process.exit(code));
}

/** Exits (cleaning up) when the parent process is gone: we were re-parented. */
export function exitWithParent(onGone: () => void, everyMs = 1000): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, everyMs).unref();
}

/**
 * Runs a benchmark's main with the guarantees above; `deadlineMin`, when
 * given, ends the run (children stopped) after that many minutes.
 */
export function runBench(name: string, main: () => Promise<void>, opts: { deadlineMin?: number } = {}): void {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const [signal, code] of Object.entries(codes)) process.once(signal, () => endRun(`${name}: ${signal}`, code));
  exitWithParent(() => endRun(`${name}: the process that started it is gone`, 1));
  // A client's retry timer firing on a connection closed under it (gRPC "Channel has been shut
  // down") must not end the process before its children are stopped; nor must any other stray error.
  const stray = (err: unknown) => {
    if (ending) return;
    console.error(err);
    endRun(`${name}: uncaught error`, 1);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
  if (opts.deadlineMin !== undefined) {
    const deadlineMin = opts.deadlineMin;
    setTimeout(() => endRun(`${name}: deadline of ${deadlineMin} minutes passed`, 2), deadlineMin * 60_000).unref();
  }
  void main()
    .catch((err: unknown) => {
      // Once the run is being ended, main fails on what was stopped under it: not news.
      if (!ending) console.error(err);
      process.exitCode = 1;
    })
    .then(stopAll)
    // Everything is stopped by now; a lingering native handle must not keep the run alive.
    .finally(() => {
      if (!ending) process.exit();
    });
}
