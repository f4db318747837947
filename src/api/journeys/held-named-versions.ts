import { Injectable } from '@nestjs/common';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { HeldNamedVersions } from '../../temporal/journey-gateway';
import { HELD_STATE } from '../../workflows/journey/contract';
import { CAMPAIGNS_CHANNEL, ChangeListener } from '../routing/change-listener';

/** How long one read of the versions with a state named `held` serves, unless a campaign changes first. */
export const HELD_NAMED_TTL_MS = 30_000;

/**
 * The campaign versions with a state named `held` (where JourneyState `held`
 * is a state, not a held step: HELD_STATE_APART), for the held-steps page,
 * the held-steps gauge and the users' journeys. Read again when a campaign
 * changes (on any instance: the LISTEN connection says so), else at most
 * once per HELD_NAMED_TTL_MS: the read goes through every stored
 * definition, and the console polls those routes every few seconds. A read
 * that fails (PostgreSQL away) answers none, so the held steps Temporal
 * lists still show; it is not kept.
 */
@Injectable()
export class HeldNamedVersionsCache {
  private cached: { at: number; value: Promise<HeldNamedVersions> } | null = null;

  constructor(
    private readonly campaigns: CampaignsRepository,
    changes: ChangeListener,
  ) {
    changes.subscribe(CAMPAIGNS_CHANNEL, () => {
      this.cached = null;
    });
  }

  get(): Promise<HeldNamedVersions> {
    const at = Date.now();
    if (this.cached && at - this.cached.at < HELD_NAMED_TTL_MS) return this.cached.value;
    const value = this.campaigns.versionsWithState(HELD_STATE);
    const entry = { at, value };
    this.cached = entry;
    return value.catch(() => {
      if (this.cached === entry) this.cached = null;
      return new Map();
    });
  }
}
