import { stringify } from 'yaml';
import { orNotFound, unwrap } from '../api';
import { applyOne } from '../commands/campaigns';
import { sendEvents } from '../commands/events';
import type { CommandContext } from '../context';
import { parseSource } from '../source-document';

/** The play the demo makes from a template, as `kairos templates render` would, with a user who completes it. */
export const TEMPLATE_PLAY = {
  template: 'sign-in-streak',
  /** Its own key, so a sign-in-streak campaign made by hand from the same template is left alone. */
  key: 'demo-sign-in-streak',
  parameters: { days: 3, points: 40 },
  user: 'u-streak',
  /** Three sign-ins on three distinct days: the streak is complete. Fixed ids make a second run send duplicates. */
  days: ['2026-11-28', '2026-11-29', '2026-11-30'],
} as const;

/**
 * Renders the template, applies and activates the draft (no new version when
 * it did not change), and sends the user's sign-ins. A Kairos whose template
 * folder lacks the play (KAIROS_TEMPLATES_DIR) is told about, not failed.
 */
export async function runTemplatePlay(ctx: CommandContext): Promise<boolean> {
  const { template, key, parameters, user, days } = TEMPLATE_PLAY;
  ctx.out();
  ctx.out(`== ${template}: a play from a template (kairos templates render ${template} --set days=${parameters.days} --set points=${parameters.points} --key ${key})`);
  const found = await orNotFound(ctx.client.GET('/v1/templates/{key}', { params: { path: { key: template } } }));
  if (!found) {
    ctx.out(`this Kairos serves no template ${template} (KAIROS_TEMPLATES_DIR); skipped`);
    return true;
  }
  const rendered = await unwrap(ctx.client.POST('/v1/templates/{key}/render', { params: { path: { key: template } }, body: { parameters, key } }));
  const source = parseSource(`(template ${template})`, stringify(rendered.campaign));
  if ((await applyOne(ctx, source, { activate: true })) !== 'applied') return false;
  const events = days.map((day, i) => ({ event: { id: `demo-streak-${i + 1}`, type: 'user.signed_in', userId: user, properties: { day } } }));
  const sent = await sendEvents(ctx, events, 500, `(template ${template})`);
  ctx.out(`events: ${events.length} sign-ins of ${user}: ${sent.accepted} accepted, ${sent.duplicates} already there (fixed ids)`);
  ctx.out(`  kairos users show ${user}    # ${parameters.points} points for a ${parameters.days}-day streak`);
  return sent.ok;
}
