import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { RECLAIMS_METRIC } from '../../observability/reclaims-metric';
import type { ReclaimResult } from '../../store/repositories/rewards.repository';

/** Rewards the API takes back from the ledger when an event is cancelled (the worker counts those its journeys take back). */
@Injectable()
export class RewardMetrics {
  private readonly reclaims: Counter<'kind' | 'campaign' | 'outcome'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.reclaims = new Counter({ ...RECLAIMS_METRIC, labelNames: ['kind', 'campaign', 'outcome'], registers: [registry] });
  }

  /** Counts a reclaim this call made; a repeat (the first outcome again) is not counted again. */
  reclaimed(r: ReclaimResult): void {
    if (r.first && r.reward) this.reclaims.inc({ kind: r.reward.kind, campaign: r.reward.campaignKey, outcome: r.outcome });
  }
}
