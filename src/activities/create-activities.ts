import type { DataSource } from 'typeorm';
import { TransitionsRepository, type TransitionRecord } from '../store/repositories/transitions.repository';

export interface ActivityDeps {
  dataSource: DataSource;
}

/**
 * Activities are built from injected dependencies so tests and the worker
 * wire them the same way; workflows see only their types.
 */
export function createActivities(deps: ActivityDeps) {
  const transitions = new TransitionsRepository(deps.dataSource);
  return {
    /** Appends one transition to the journey log; idempotent by its key. */
    async recordTransition(record: TransitionRecord): Promise<{ written: boolean }> {
      return { written: await transitions.record(record) };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
