import { type ActivityOptions, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PruneCursor, RetentionKind } from '../activities/retention/retention-activities';

/** Days each kind of row is kept; 0 keeps it forever. */
export interface RetentionWindows {
  deliveriesDays: number;
  eventsDays: number;
  /** Messages and webhook calls. */
  messagesDays: number;
  journeyLogDays: number;
}

export interface KindReport {
  batches: number;
  deleted: number;
  /** Most rows one batch deleted. */
  largestBatch: number;
}
export type RetentionReport = Partial<Record<RetentionKind, KindReport>>;

/** Versioned; `carried` is set by continue-as-new only. */
export interface RetentionInput {
  version: 1;
  windows: RetentionWindows;
  batchSize: number;
  carried?: { startedAt: number; kind: RetentionKind; after: PruneCursor | null; report: RetentionReport };
}

export const retentionScheduleId = (taskQueue: string): string => `kairos-retention:${taskQueue}`;

/** Deliveries go before events: an event can only go once its deliveries have. */
const ORDER: ReadonlyArray<{ kind: RetentionKind; days: (w: RetentionWindows) => number }> = [
  { kind: 'deliveries', days: (w) => w.deliveriesDays },
  { kind: 'events', days: (w) => w.eventsDays },
  { kind: 'messages', days: (w) => w.messagesDays },
  { kind: 'webhookCalls', days: (w) => w.messagesDays },
  { kind: 'journeyLog', days: (w) => w.journeyLogDays },
];

const pruning: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};
const { pruneExpired } = proxyActivities<Activities>(pruning);

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCHES_PER_RUN = 200;

/**
 * One retention pass, started by the retention Schedule (so one pass at a
 * time however many workers run): for each kind with a window, prunes
 * expired rows in small batches until none are left, continuing as new
 * when its history grows. Cutoffs are fixed at the pass's start.
 */
export async function retentionWorkflow(input: RetentionInput): Promise<RetentionReport> {
  const startedAt = input.carried?.startedAt ?? Date.now();
  const report: RetentionReport = input.carried?.report ?? {};
  const from = input.carried ? ORDER.findIndex((o) => o.kind === input.carried!.kind) : 0;
  let batches = 0;
  for (let i = from; i < ORDER.length; i++) {
    const { kind, days } = ORDER[i];
    const windowDays = days(input.windows);
    if (windowDays <= 0) continue;
    const cutoff = new Date(startedAt - windowDays * DAY_MS).toISOString();
    const kindReport = (report[kind] ??= { batches: 0, deleted: 0, largestBatch: 0 });
    let after = i === from ? (input.carried?.after ?? null) : null;
    for (;;) {
      if (batches >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof retentionWorkflow>({ ...input, carried: { startedAt, kind, after, report } });
      }
      const result = await pruneExpired({ kind, cutoff, limit: input.batchSize, after });
      batches++;
      kindReport.batches++;
      kindReport.deleted += result.deleted;
      kindReport.largestBatch = Math.max(kindReport.largestBatch, result.deleted);
      after = result.after;
      if (result.done) break;
    }
  }
  return report;
}
