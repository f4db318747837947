import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { SignalOutbox1763761000000 } from './1763761000000-signal-outbox';
import { RewardsLedger1763800000000 } from './1763800000000-rewards-ledger';
import { AnalyticsIndexes1763900000000 } from './1763900000000-analytics-indexes';
import { EventCancellations1763950000000 } from './1763950000000-event-cancellations';
import { DeadDeliveries1764100000001 } from './1764100000001-dead-deliveries';
import { VoidReclaimedCoupons1764300000001 } from './1764300000001-void-reclaimed-coupons';
import { JourneyEntries1764300000002 } from './1764300000002-journey-entries';
import { IssueRewardSingleProbe1764300000003 } from './1764300000003-issue-reward-single-probe';
import { EventSources1764500000000 } from './1764500000000-event-sources';
import { OutboxRequestId1764600000000 } from './1764600000000-outbox-request-id';
import { RetentionIndexes1764700000000 } from './1764700000000-retention-indexes';
import { LedgerNamedArguments1764800000000 } from './1764800000000-ledger-named-arguments';
import { JourneyOrderedOutbox1764900000000 } from './1764900000000-journey-ordered-outbox';
import { CampaignVersionLayout1765000000000 } from './1765000000000-campaign-version-layout';
import { IssueRewardLean1765000000300 } from './1765000000300-issue-reward-lean';
import { IssueRewardsBatch1765000000400 } from './1765000000400-issue-rewards-batch';
import { PoolTopUps1765100000000 } from './1765100000000-pool-top-ups';
import { FunnelCounters1765200000000 } from './1765200000000-funnel-counters';
import { CampaignDefinitionAsSent1765300000000 } from './1765300000000-campaign-definition-as-sent';
import { UnfinishedCancels1765400000000 } from './1765400000000-unfinished-cancels';
import { OutboxAwaitingTemporal1765500000000 } from './1765500000000-outbox-awaiting-temporal';
import { OutboxAwaitingTemporalUntil1765600000000 } from './1765600000000-outbox-awaiting-temporal-until';
import { OutboxClaims1765700000000 } from './1765700000000-outbox-claims';
import { UnfinishedDispatchIndex1765800000000 } from './1765800000000-unfinished-dispatch-index';
import { IssueRewardNoWait1765900000000 } from './1765900000000-issue-reward-no-wait';
import { WaitingPositionsIndex1766000000000 } from './1766000000000-waiting-positions-index';
import { JourneyLogPath1766100000000 } from './1766100000000-journey-log-path';
import { RetentionDone1766200000000 } from './1766200000000-retention-done';
import { PoolDefinitionWithoutCodes1766300000000 } from './1766300000000-pool-definition-without-codes';
import { DispatchClaims1766400000000 } from './1766400000000-dispatch-claims';
import { OutboxRefusals1766500000000 } from './1766500000000-outbox-refusals';
import { CampaignTemporalMarks1766600000000 } from './1766600000000-campaign-temporal-marks';
import { JourneyLogPrunedArrivals1766700000000 } from './1766700000000-journey-log-pruned-arrivals';
import { RewardAnswers1766850000000 } from './1766850000000-reward-answers';
import { IssueRewardsBatchTryLock1766900000000 } from './1766900000000-issue-rewards-batch-try-lock';
import { IntervalsWindowIndex1767000000000 } from './1767000000000-intervals-window-index';
import { IntervalsPathIndex1767100000000 } from './1767100000000-intervals-path-index';
import { DropJourneyCampaignIndex1767200000000 } from './1767200000000-drop-journey-campaign-index';
import { IssueRewardWaitForCode1767300000000 } from './1767300000000-issue-reward-wait-for-code';
import { DropPositionalLedgerFunctions1767400000000 } from './1767400000000-drop-positional-ledger-functions';
import { CancelLateDeliveries1767500000000 } from './1767500000000-cancel-late-deliveries';
import { IssueRewardWholeShares1767610000000 } from './1767610000000-issue-reward-whole-shares';
import { CampaignActiveSince1767620000000 } from './1767620000000-campaign-active-since';
import { JourneyLogFoldedIndex1767700000000 } from './1767700000000-journey-log-folded-index';

/** In order; listed explicitly so the same list works from TypeScript sources and from dist/. */
export const migrations = [
  InitialSchema1763700000000,
  SignalOutbox1763761000000,
  RewardsLedger1763800000000,
  AnalyticsIndexes1763900000000,
  EventCancellations1763950000000,
  DeadDeliveries1764100000001,
  VoidReclaimedCoupons1764300000001,
  JourneyEntries1764300000002,
  IssueRewardSingleProbe1764300000003,
  EventSources1764500000000,
  OutboxRequestId1764600000000,
  RetentionIndexes1764700000000,
  LedgerNamedArguments1764800000000,
  JourneyOrderedOutbox1764900000000,
  CampaignVersionLayout1765000000000,
  IssueRewardLean1765000000300,
  IssueRewardsBatch1765000000400,
  PoolTopUps1765100000000,
  FunnelCounters1765200000000,
  CampaignDefinitionAsSent1765300000000,
  UnfinishedCancels1765400000000,
  OutboxAwaitingTemporal1765500000000,
  OutboxAwaitingTemporalUntil1765600000000,
  OutboxClaims1765700000000,
  UnfinishedDispatchIndex1765800000000,
  IssueRewardNoWait1765900000000,
  WaitingPositionsIndex1766000000000,
  JourneyLogPath1766100000000,
  RetentionDone1766200000000,
  PoolDefinitionWithoutCodes1766300000000,
  DispatchClaims1766400000000,
  OutboxRefusals1766500000000,
  CampaignTemporalMarks1766600000000,
  JourneyLogPrunedArrivals1766700000000,
  RewardAnswers1766850000000,
  IssueRewardsBatchTryLock1766900000000,
  IntervalsWindowIndex1767000000000,
  IntervalsPathIndex1767100000000,
  DropJourneyCampaignIndex1767200000000,
  IssueRewardWaitForCode1767300000000,
  DropPositionalLedgerFunctions1767400000000,
  CancelLateDeliveries1767500000000,
  IssueRewardWholeShares1767610000000,
  CampaignActiveSince1767620000000,
  JourneyLogFoldedIndex1767700000000,
];
