import type { CompiledPlan } from '../compiler/plan';
import type { JourneyState } from './state';

/** A held step as the details show it. */
export interface HeldStepLine {
  stepId: string;
  summary: string;
  error: string;
}

const MAX_LINES_PER_PATH = 6;
const MAX_TEXT = 160;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * What the Temporal UI shows as the journey's current details (markdown):
 * each active path's state, what it waits for, its next timer, and any held
 * step. Pure, so it is the same on every replay and cheap enough to refresh
 * whenever the journey settles.
 */
export function describeCurrentDetails(plan: CompiledPlan, state: JourneyState, held: readonly HeldStepLine[]): string {
  const lines: string[] = [];
  if (state.status === 'ended') lines.push(`**Ended**${state.endReason ? `: ${clip(state.endReason)}` : ''}`);
  for (const path of state.paths) {
    lines.push(`**${path.state}** (entry ${path.entryNo}, since ${path.stateEnteredAt})`);
    const waits = waitsFor(plan, path.state);
    if (waits.length > 0) lines.push(`- waits for: ${clip(waits.slice(0, MAX_LINES_PER_PATH).join('; '))}`);
    const next = [...path.timers].sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0))[0];
    if (next) lines.push(`- next timer: ${next.fireAt}`);
  }
  for (const h of held) lines.push(`- **held** ${h.stepId}: ${clip(h.summary)}: ${clip(h.error)} (retry or skip)`);
  if (lines.length === 0) lines.push(state.status === 'ended' ? '**Ended**' : 'Waiting for an entry event');
  return lines.join('\n');
}

/** The triggers of a state's transitions in words, first-match order. */
function waitsFor(plan: CompiledPlan, stateName: string): string[] {
  const s = plan.states[stateName];
  if (!s) return [];
  return s.transitions.map((t) => {
    switch (t.kind) {
      case 'on':
        return `${t.eventType}${t.condition ? ' (if …)' : ''} → ${t.to}`;
      case 'when':
        return `condition → ${t.to}`;
      case 'after':
        return `${t.duration.text} → ${t.to}`;
      case 'at':
        return `${new Date(t.at).toISOString()} → ${t.to}`;
      case 'immediate':
        return `now → ${t.to}`;
      case 'split':
        return `split → ${t.branches.map((b) => b.to).join(' / ')}`;
    }
  });
}
