import { Injectable } from '@nestjs/common';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { HeldNamedVersions } from '../../temporal/journey-gateway';
import { CAMPAIGNS_CHANNEL, ChangeListener } from '../routing/change-listener';

/** How long one read of the versions with a state of a name serves, unless a campaign changes first. */
export const STATE_NAMED_TTL_MS = 30_000;

/** Campaign versions with a state of one name, by campaign key (CampaignsRepository.versionsWithState). */
export type StateNamedVersions = HeldNamedVersions;

/**
 * The campaign versions with a state of a name the journey also writes to
 * its JourneyState as a marker, where that value is a state, not the marker:
 * `held` (HELD_STATE: there a held step shows `(held)`, HELD_STATE_APART),
 * for the held-steps page, the held-steps gauge and the users' journeys, and
 * `none` (NO_STATE_SHOWN: no state to show), for the users' journeys. Each
 * name is read again when a campaign changes (on any instance: the LISTEN
 * connection says so), else at most once per STATE_NAMED_TTL_MS: the read
 * goes through every stored definition, and the console polls those routes
 * every few seconds. A read that fails (PostgreSQL away) answers none, so
 * the value reads as the marker, as before such states were known; it is
 * not kept.
 */
@Injectable()
export class StateNamedVersionsCache {
  private readonly cached = new Map<string, { at: number; value: Promise<StateNamedVersions> }>();

  constructor(
    private readonly campaigns: CampaignsRepository,
    changes: ChangeListener,
  ) {
    changes.subscribe(CAMPAIGNS_CHANNEL, () => {
      this.cached.clear();
    });
  }

  get(state: string): Promise<StateNamedVersions> {
    const at = Date.now();
    const kept = this.cached.get(state);
    if (kept && at - kept.at < STATE_NAMED_TTL_MS) return kept.value;
    // The promise kept is the one with the fallback attached: a caller arriving while the read is pending gets
    // none too when it fails, not the rejection (a 503 on the held page, a failed gauge).
    const entry: { at: number; value: Promise<StateNamedVersions> } = {
      at,
      value: this.campaigns.versionsWithState(state).catch((): StateNamedVersions => {
        // Not kept: the next ask reads again (this entry only, not one a campaign change put in its place).
        if (this.cached.get(state) === entry) this.cached.delete(state);
        return new Map();
      }),
    };
    this.cached.set(state, entry);
    return entry.value;
  }
}
