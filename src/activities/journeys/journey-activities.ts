import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { PlanStore } from '../../store/plan-store';
import { JourneyContextRepository, type ActiveSchedule, type PriorEntries } from '../../store/repositories/journey-context.repository';
import { TransitionsRepository, type TransitionRecord } from '../../store/repositories/transitions.repository';

export interface JourneyStart {
  definition: Record<string, unknown>;
  prior: PriorEntries;
  /** The user's stored profile, when asked for (`withProfile`): saves a journey its own first lookup. */
  profile?: Record<string, unknown>;
  /** Set only when the campaign is archived (patch archive-ends-journeys), so other starts record what they did before. */
  campaignArchived?: true;
  /**
   * Of the `entryCauses` asked about, those an earlier execution of this
   * journey entered on (patch seen-events-outlive-run); absent when none
   * were asked about, as in every start recorded before the patch.
   */
  takenBefore?: string[];
  /**
   * The campaign's active version, its schedule end and when it became
   * active, while the campaign is active or paused (patch
   * schedule-end-follows-activation): a run on another version, or one told
   * an older activation, ends by it. Absent in every start recorded before.
   */
  activeSchedule?: ActiveSchedule;
}

/** The journey's own reads and its log. */
export function createJourneyActivities(deps: { dataSource: DataSource; plans: PlanStore }) {
  const context = new JourneyContextRepository(deps.dataSource);
  const transitions = new TransitionsRepository(deps.dataSource);

  return {
    /** The pinned plan's definition and the user's past entries into the campaign. */
    async loadJourneyStart(req: {
      campaignKey: string;
      version: number;
      userId: string;
      keepEntryTimes: number;
      withProfile?: boolean;
      ownLogKeyPrefix?: string;
      /** The journey-log causes of the entries the start came with: which did an earlier execution enter on? */
      entryCauses?: string[];
    }): Promise<JourneyStart> {
      // Campaign versions are immutable: the plan store reads each once per worker.
      const definition = await deps.plans.definition(req.campaignKey, req.version);
      if (!definition) {
        throw ApplicationFailure.create({
          type: 'UnknownCampaignVersion',
          message: `campaign ${req.campaignKey} has no version ${req.version}`,
          nonRetryable: true,
        });
      }
      const asked = req.entryCauses !== undefined && req.entryCauses.length > 0;
      const [{ campaignArchived, activeSchedule, ...prior }, profile, takenBefore] = await Promise.all([
        context.priorEntries(req.campaignKey, req.userId, req.keepEntryTimes, req.ownLogKeyPrefix),
        req.withProfile ? context.profile(req.userId) : undefined,
        asked ? context.entriesTakenBefore(req.campaignKey, req.userId, req.entryCauses!, req.ownLogKeyPrefix) : undefined,
      ]);
      return {
        definition,
        prior,
        ...(profile === undefined ? {} : { profile }),
        ...(campaignArchived ? { campaignArchived } : {}),
        ...(activeSchedule ? { activeSchedule } : {}),
        ...(takenBefore === undefined ? {} : { takenBefore }),
      };
    },

    /** The user's stored profile (`user.*` facts). */
    async loadProfile(req: { userId: string }): Promise<Record<string, unknown>> {
      return context.profile(req.userId);
    },

    /** Appends one transition to the journey log; idempotent by its key. (Journeys from before the batched log.) */
    async recordTransition(record: TransitionRecord): Promise<{ written: boolean }> {
      return { written: await transitions.record(record) };
    },

    /**
     * Appends transitions to the journey log in their order. A key written
     * before is written again: a local activity's write can come from a
     * workflow task that failed, and its retry has the last word.
     */
    async recordTransitions(req: { records: TransitionRecord[] }): Promise<{ written: number }> {
      return { written: await transitions.recordMany(req.records) };
    },
  };
}
