/**
 * The Participation panel's "Mode": serial (one active path per user, the
 * default, written as no `mode`) or parallel (several at once, at most
 * `maxActive`). Serial mode takes no `maxActive` other than 1 (the compiler
 * refuses it), and the panel draws that field only in parallel mode, so
 * switching to serial removes it; a value other than 1 is named first.
 */
import type { CampaignInput } from '../campaign/schema';
import { isObject } from '../is-object';
import { campaignField, setCampaignField } from './campaign-fields';

export type ParticipationMode = 'serial' | 'parallel';

export const modeOf = (def: CampaignInput): ParticipationMode => (campaignField(def, ['participation', 'mode']) === 'parallel' ? 'parallel' : 'serial');

/** The definition in `mode`, and what the switch drops in words (null: nothing: a `maxActive` of 1 holds in either mode). */
export function switchMode(def: CampaignInput, mode: ParticipationMode): { def: CampaignInput; lost: string | null } {
  if (mode === 'parallel') return { def: setCampaignField(def, ['participation', 'mode'], 'parallel'), lost: null };
  const maxActive = campaignField(def, ['participation', 'maxActive']);
  const serial = setCampaignField(setCampaignField(def, ['participation', 'mode'], undefined), ['participation', 'maxActive'], undefined);
  const shown = isObject(maxActive) || Array.isArray(maxActive) ? JSON.stringify(maxActive) : String(maxActive);
  return { def: serial, lost: maxActive === undefined || maxActive === 1 ? null : `the max active paths ${shown}` };
}
