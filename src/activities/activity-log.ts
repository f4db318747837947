import { asyncLocalStorage } from '@temporalio/activity';
import type { Logger } from '@temporalio/common';

/**
 * The running activity's logger (the SDK adds its workflowId, activity type
 * and attempt; the worker forwards it to the process's pino logger), or none
 * when the function is called outside an activity (ledger tests, benches).
 * Read from the SDK's context store (what `Context.current()` returns when
 * there is one), not by catching `Context.current()`'s throw: an Error and
 * its stack trace per call was a measurable part of an issue outside a worker.
 */
export function activityLog(): Logger | undefined {
  return asyncLocalStorage.getStore()?.log;
}
