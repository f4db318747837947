import { Context } from '@temporalio/activity';
import type { Logger } from '@temporalio/common';

/**
 * The running activity's logger (the SDK adds its workflowId, activity type
 * and attempt; the worker forwards it to the process's pino logger), or none
 * when the function is called outside an activity (ledger tests, benches).
 */
export function activityLog(): Logger | undefined {
  try {
    return Context.current().log;
  } catch {
    return undefined;
  }
}
