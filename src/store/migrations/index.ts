import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { SignalOutbox1763761000000 } from './1763761000000-signal-outbox';
import { RewardsLedger1763800000000 } from './1763800000000-rewards-ledger';
import { AnalyticsIndexes1763900000000 } from './1763900000000-analytics-indexes';
import { EventCancellations1763950000000 } from './1763950000000-event-cancellations';
import { OutboxRequestId1764600000000 } from './1764600000000-outbox-request-id';

/** In order; listed explicitly so the same list works from TypeScript sources and from dist/. */
export const migrations = [InitialSchema1763700000000, SignalOutbox1763761000000, RewardsLedger1763800000000, AnalyticsIndexes1763900000000, EventCancellations1763950000000, OutboxRequestId1764600000000];
