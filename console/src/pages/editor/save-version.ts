import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { client, KairosApiError, unwrap } from '../../api';
import { canonical, type NodeLayout, type SavePlan } from './save-plan';

/** The version the editor started from (or last saved), which the next save compares with. */
export interface Base {
  key: string;
  version: number | null;
  definition: unknown;
  layout: NodeLayout | null;
}

export type SaveOutcome = { base: Base; message: string };

/** A save refused because another version was saved after the one this edit started from. */
export class VersionConflict extends Error {
  constructor(
    readonly key: string,
    readonly baseVersion: number,
    readonly message: string,
  ) {
    super(message);
  }
}

/**
 * Carries out `plan` (savePlan's: create, a new version on top of the loaded
 * one, or the loaded version's layout only), storing `layout`, the place of
 * every node as drawn, and answers the new base. `forceOnto` saves a new
 * version on top of that version instead of the loaded one: the latest the
 * conflict box showed, after the operator chose to save anyway. It is still a
 * precondition, so a version saved after the box was shown (one nobody here
 * has seen) is a new conflict, not overwritten.
 *
 * A save whose answer was lost (the connection dropped after Kairos stored
 * it) is refused when pressed again: the key exists, or the version it
 * started from is no longer the latest. When the latest stored version holds
 * this very definition, that refusal is this draft's own save: it is saved.
 * For a create that holds only after `answerLost` (a save of this editor got
 * no answer): otherwise the key is someone else's campaign that happens to
 * hold the same definition (a template with its defaults), and taking it
 * over would let this editor save and activate versions in it.
 */
export async function saveVersion(
  plan: SavePlan,
  base: Base | null,
  def: CampaignInput,
  layout: NodeLayout,
  { forceOnto, answerLost = false }: { forceOnto?: number; answerLost?: boolean } = {},
): Promise<SaveOutcome> {
  if (plan.kind === 'create' || !base) {
    try {
      const created = await unwrap(client().POST('/v1/campaigns', { body: { ...def, layout } as never }));
      return { base: { key: def.key, version: created.version, definition: def, layout }, message: `Saved ${def.key} as version ${created.version}.` };
    } catch (error) {
      const stored = answerLost && refusal(error, 'campaign_exists') !== null ? await alreadyStored(def.key, def) : null;
      if (stored) return stored;
      throw error;
    }
  }
  if (plan.kind === 'nothing') return { base, message: `Nothing changed since version ${plan.version}.` };
  if (plan.kind === 'layout') {
    await unwrap(client().PUT('/v1/campaigns/{key}/versions/{version}/layout', { params: { path: { key: base.key, version: String(plan.version) } }, body: { layout } }));
    return { base: { ...base, layout }, message: `Saved the layout of version ${plan.version} (only positions moved, so no new version).` };
  }
  const baseVersion = forceOnto ?? plan.baseVersion;
  try {
    const body = { ...def, layout, baseVersion };
    const saved = await unwrap(client().PUT('/v1/campaigns/{key}', { params: { path: { key: base.key } }, body: body as never }));
    return { base: { key: base.key, version: saved.version, definition: def, layout }, message: `Saved ${base.key} as version ${saved.version}.` };
  } catch (error) {
    const refused = refusal(error, 'version_conflict');
    if (refused === null) throw error;
    const stored = await alreadyStored(base.key, def);
    if (stored) return stored;
    throw new VersionConflict(base.key, baseVersion, refused);
  }
}

/** The API's message when `error` is a 409 with `code`; null for any other failure. */
function refusal(error: unknown, code: 'campaign_exists' | 'version_conflict'): string | null {
  return error instanceof KairosApiError && error.status === 409 && error.body?.error.code === code ? error.body.error.message : null;
}

/**
 * The latest stored version as the base, when it holds `def` (key order
 * aside). Its layout is the stored one: the next save compares with what
 * Kairos has. A failed read is no answer: the refusal stands.
 */
async function alreadyStored(key: string, def: CampaignInput): Promise<SaveOutcome | null> {
  const latest = await unwrap(client().GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key, version: 'latest' } } })).catch(() => null);
  if (!latest || canonical(latest.definition) !== canonical(def)) return null;
  return {
    base: { key, version: latest.version, definition: def, layout: latest.layout },
    message: `Saved ${key} as version ${latest.version}: its latest version already holds this draft (the answer to an earlier save did not arrive), so nothing new was stored.`,
  };
}
