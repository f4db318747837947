/**
 * A journey's state travels whole in every continue-as-new, whose input
 * Temporal refuses over 2 MB, on every attempt. Each part of the state has a
 * bound of its own (LIMITS), per path where it belongs to a path, and those
 * can add up past what one input can carry: eight parallel paths that each
 * took a 250 KiB event hold eight of them. Patch journey-weighed-whole weighs
 * the whole journey before a new run, and when it is too heavy gives up what
 * changes least of what the journey does, in this order:
 *
 * 1. the decision trace, oldest entries first (only the state query reads it);
 * 2. settled reward records, oldest first (the ledger keeps them, and a
 *    cancel reclaims through it; no outcome looks for a settled record);
 * 3. the aggregates' contributions, folded into their summaries, the list
 *    that saves most first (the values stay; a cancel can no longer take
 *    those events out, and a reward fired later does not name them as its
 *    causes); a list whose summary would lose distinct values is not folded;
 * 4. held events (those an `on` transition waits for while actions run),
 *    the oldest of the heaviest path first.
 *
 * Everything else (a path's trigger, snapshot and its causes, timers, the profile, seen
 * ids, held steps, work under way) is never given up here; when even all of
 * the above would not make the journey fit, nothing is given up, and it
 * stays in its run (see JourneyShell), weighed again later.
 */
import { jsonBytes } from '../json-size';
import { foldAll } from './aggregates';
import { isSettled, type Contribution, type JourneyState, type PathState, type RewardRecord } from './state';
import { appendTrace } from './held-trace';
import { keepTimerPlaces } from './transitions';

export interface Lightened {
  /** Whether the state now weighs at most the budget. */
  fits: boolean;
  /** The state's weight as JSON before and after. */
  before: number;
  after: number;
  traceDropped: number;
  folded: number;
  rewardsDropped: number;
  heldDropped: number;
}

/** Room kept for the note this leaves in the trace (its message is at most a few hundred characters). */
const NOTE_ROOM = 1024;

/** The trace's input line of the note this leaves (read by operators in the state query). */
export const LIGHTENED_INPUT = 'weighed for a new run';

/**
 * Gives up parts of `state` (in place, in the order above) until it weighs
 * at most `budget` bytes as JSON, and says so in the trace. A state within
 * the budget is left as it is.
 */
export function lightenToFit(state: JourneyState, budget: number, at: string): Lightened {
  const before = jsonBytes(state);
  const result: Lightened = { fits: before <= budget, before, after: before, traceDropped: 0, folded: 0, rewardsDropped: 0, heldDropped: 0 };
  if (result.fits) return result;
  // Element weights are subtracted as they go; the exact weight is taken once at the end, the note included.
  let bytes = before + NOTE_ROOM;
  const rewards = settledRewardsOf(state);
  const windows = windowsOf(state);
  const held = heldOf(state.paths);
  const all = jsonBytes(state.trace) + sum(rewards.map((r) => r.bytes)) + sum(windows.map((w) => w.saving)) + sum(held.map((h) => h.total));
  if (bytes - all > budget) {
    // Even all of it would not do: nothing is given up for nothing (the journey stays in its run and is weighed again later).
    appendTrace(state, { at, input: LIGHTENED_INPUT, notes: [{ kind: 'ignored', message: describe(result, budget, false) }] });
    result.after = jsonBytes(state);
    return result;
  }
  while (bytes > budget && state.trace.length > 0) {
    bytes -= jsonBytes(state.trace.shift()) + 1;
    result.traceDropped++;
  }
  const dropped = new Set<RewardRecord>();
  for (const r of rewards) {
    if (bytes <= budget) break;
    dropped.add(r.record);
    bytes -= r.bytes + 1;
  }
  if (dropped.size > 0) state.rewards = state.rewards.filter((r) => !dropped.has(r));
  result.rewardsDropped = dropped.size;
  for (const w of [...windows].sort((x, y) => y.saving - x.saving)) {
    if (bytes <= budget || w.saving <= 0) break;
    w.list.splice(0, w.list.length, ...w.folded);
    result.folded += w.count;
    bytes -= w.saving;
  }
  while (bytes > budget) {
    const heaviest = held.reduce<HeldWeights | undefined>((most, h) => (h.sizes.length > 0 && (!most || h.total > most.total) ? h : most), undefined);
    if (!heaviest) break;
    heaviest.path.deferred!.shift();
    const size = heaviest.sizes.shift()!;
    heaviest.total -= size;
    bytes -= size + 1;
    keepTimerPlaces(heaviest.path, [0]);
    result.heldDropped++;
  }
  appendTrace(state, { at, input: LIGHTENED_INPUT, notes: [{ kind: 'ignored', message: describe(result, budget, bytes <= budget) }] });
  result.after = jsonBytes(state);
  result.fits = result.after <= budget;
  return result;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Each aggregate list of each path, folded on a copy (nothing is given up
 * yet): what folding it would save, and the folded list that takes its
 * place if it is given up.
 */
function windowsOf(state: JourneyState): Array<{ list: Contribution[]; folded: Contribution[]; count: number; saving: number }> {
  return state.paths.flatMap((p) =>
    Object.values(p.window).map((list) => {
      const folded = JSON.parse(JSON.stringify(list)) as Contribution[];
      const count = foldAll(folded);
      return { list, folded, count, saving: count > 0 ? jsonBytes(list) - jsonBytes(folded) : 0 };
    }),
  );
}

/** Settled reward records, oldest first, weighed; records under way stay (their outcome is still to come). */
function settledRewardsOf(state: JourneyState): Array<{ record: RewardRecord; bytes: number }> {
  return state.rewards.filter(isSettled).map((record) => ({ record, bytes: jsonBytes(record) + 1 }));
}

interface HeldWeights {
  path: PathState;
  /** Each held event's weight, in the order held; total is their sum. */
  sizes: number[];
  total: number;
}

/** Every held event weighed once: the heaviest path is picked again after each drop. */
function heldOf(paths: PathState[]): HeldWeights[] {
  return paths.map((path) => {
    const sizes = (path.deferred ?? []).map((e) => jsonBytes(e));
    return { path, sizes, total: sizes.reduce((a, b) => a + b, 0) };
  });
}

function describe(r: Lightened, budget: number, fits: boolean): string {
  const given = [
    r.traceDropped > 0 ? `${r.traceDropped} older trace entries dropped` : '',
    r.folded > 0 ? `${r.folded} aggregate contributions folded into their summaries (a cancel can no longer take those events out)` : '',
    r.rewardsDropped > 0 ? `${r.rewardsDropped} settled reward records dropped from the state (the ledger keeps them)` : '',
    r.heldDropped > 0 ? `${r.heldDropped} held events dropped` : '',
  ].filter((s) => s !== '');
  const done = given.length > 0 ? given.join('; ') : 'giving up all it could would not be enough, so it gave up nothing';
  const after = fits ? '' : '; still too heavy, it stays in this run and is weighed again later';
  return `the journey weighed ${kib(r.before)} KiB, over the ${kib(budget)} KiB its next run can take: ${done}${after}`;
}

const kib = (bytes: number): number => Math.ceil(bytes / 1024);
