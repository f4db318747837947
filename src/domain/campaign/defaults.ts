/**
 * The campaign language's defaults, apart from the zod schema that documents
 * them. The journey workflow compiles definitions that were validated when the
 * campaign was activated; it fills these in itself instead of bundling zod,
 * because the SDK instantiates every bundled module once per cached workflow.
 */
import type { Campaign, CampaignInput } from './schema';

export const PARTICIPATION_DEFAULTS = { maxEntries: 1, mode: 'serial' } as const;

/** What the schema's defaults make of a definition that already passed it. */
export function applyCampaignDefaults(valid: CampaignInput): Campaign {
  return {
    ...valid,
    participation: { ...PARTICIPATION_DEFAULTS, ...valid.participation },
    exitOn: valid.exitOn ?? [],
    states: Object.fromEntries(
      Object.entries(valid.states).map(([name, state]) => [name, { ...state, transitions: state.transitions ?? [] }]),
    ),
  } as Campaign;
}
