/**
 * The parts of a campaign that decide who enters and when: entry, audience,
 * schedule and quiet hours, participation caps, exit rules.
 */
import { refuseReservedName } from './reserved-names';
import type { Campaign } from '../campaign/schema';
import { parseDuration, type Duration } from '../durations';
import { joinPath } from '../issues';
import { cronScheduleProblem, firstRunInWindow } from '../campaign/cron';
import { toEpochMs, zoneSpelling } from '../time';
import type { Cond } from '../conditions/ast';
import { factsRead } from '../conditions/facts-read';
import { takesEvery } from './constant-condition';
import type { CompileContext } from './context';
import { LIMITS } from '../machine/state';
import type { CompiledEntry, CompiledExit, CompiledParticipation, CompiledSchedule, QuietHoursWindow } from './plan';

export function compileEntry(ctx: CompileContext, campaign: Campaign): CompiledEntry {
  const { entry } = campaign;
  const types = entry.on === undefined ? [] : Array.isArray(entry.on) ? [...new Set(entry.on)] : [entry.on];
  if (Array.isArray(entry.on)) entry.on.forEach((type, i) => refuseReservedName(ctx, type, 'an event type', joinPath('entry.on', i)));
  else if (entry.on !== undefined) refuseReservedName(ctx, entry.on, 'an event type', 'entry.on');
  if (types.length === 0 && entry.cron === undefined) {
    ctx.report('entry', 'an entry needs `on` (the event types that start a journey) or `cron` (batch entry)');
  }
  // Checked when saving or activating only: a version stored with both still compiles as it was accepted.
  if (ctx.admitting && types.length > 0 && entry.cron !== undefined) {
    ctx.report('entry.cron', 'a campaign enters on events (`on`) or on a schedule (`cron`), not both: make two campaigns');
  }
  if (ctx.admitting && entry.cron !== undefined) admitCron(ctx, campaign);
  if (entry.timezone !== undefined && entry.cron === undefined) {
    ctx.report('entry.timezone', '`entry.timezone` is the zone of `entry.cron`; there is no cron here');
  }
  const condition = ctx.condition(entry.if, 'entry.if');
  // Admitting only (a stored version compiles as it was accepted); beside cron, entry.if is refused already.
  if (ctx.admitting && condition && entry.cron === undefined) {
    refusePathFacts(ctx, condition.normalized, 'entry.if', '`entry.if` is checked before the path it would start exists', "in the initial state (the starting event counts in that state's aggregates)");
  }
  return {
    types,
    condition,
    cron: entry.cron?.trim() ?? null,
    timezone: entry.timezone ?? campaign.schedule?.timezone ?? 'UTC',
  };
}

/**
 * What a batch entry must satisfy for Temporal's schedule to run it as
 * checked here (saving and activating only; stored versions compile as
 * they were accepted).
 */
function admitCron(ctx: CompileContext, campaign: Campaign): void {
  const { entry } = campaign;
  const problem = cronScheduleProblem(entry.cron ?? '');
  if (problem) ctx.report('entry.cron', problem);
  // The zone the schedule runs in: entry.timezone, else the campaign's.
  const [zonePath, zone] = entry.timezone !== undefined ? ['entry.timezone', entry.timezone] : ['schedule.timezone', campaign.schedule?.timezone];
  const spelling = zone === undefined ? undefined : zoneSpelling(zone);
  if (spelling) ctx.report(zonePath, `write ${spelling}: time zone names are case-sensitive where the schedule runs`);
  if (!problem && !spelling) refuseEmptyWindow(ctx, entry.cron ?? '', zone ?? 'UTC', campaign.schedule);
  if (entry.if !== undefined) {
    ctx.report('entry.if', 'a batch entry (cron) has no event, so `entry.if` would never be checked: put the condition on the user in `audience`');
  }
}

/**
 * A schedule window in which no tick of entry.cron falls (`0 9 1 * *` from the
 * 27th to the 30th): Temporal would take the Schedule and never start it, so
 * the campaign would enter nobody, unsaid. Judged over the whole window, not
 * from now, so a version whose last tick has passed is still activated.
 */
function refuseEmptyWindow(ctx: CompileContext, cron: string, zone: string, schedule: Campaign['schedule']): void {
  if (schedule?.endsAt === undefined) return; // an open end: a cron that runs at all (cronScheduleProblem) ticks in it
  const startsAt = schedule.startsAt === undefined ? null : toEpochMs(schedule.startsAt);
  const endsAt = toEpochMs(schedule.endsAt);
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return; // said at schedule.startsAt or schedule.endsAt
  let first: ReturnType<typeof firstRunInWindow>;
  try {
    first = firstRunInWindow(cron, zone, { startsAt, endsAt });
  } catch {
    return; // a cron or a zone croner cannot read: said at its own path
  }
  if (first?.inWindow) return;
  const span = schedule.startsAt === undefined ? `before schedule.endsAt (${schedule.endsAt})` : `between schedule.startsAt (${schedule.startsAt}) and schedule.endsAt (${schedule.endsAt})`;
  const next = first ? ` (its first tick${schedule.startsAt === undefined ? '' : ' from startsAt'} is ${first.at})` : '';
  ctx.report('entry.cron', `no tick of \`${cron.trim()}\` in ${zone} falls ${span}, so the campaign would enter nobody${next}: widen the window or change the cron`);
}

export function compileSchedule(ctx: CompileContext, campaign: Campaign): CompiledSchedule {
  const schedule = campaign.schedule ?? {};
  return {
    startsAt: schedule.startsAt ? toEpochMs(schedule.startsAt) : null,
    endsAt: schedule.endsAt ? toEpochMs(schedule.endsAt) : null,
    timezone: schedule.timezone ?? 'UTC',
    quietHours: schedule.quietHours ? compileQuietHours(ctx, schedule.quietHours) : null,
  };
}

function compileQuietHours(ctx: CompileContext, q: { from: string; to: string }): QuietHoursWindow | null {
  const fromMinute = clockMinutes(q.from);
  const toMinute = clockMinutes(q.to);
  if (fromMinute === null || toMinute === null || fromMinute === toMinute) {
    ctx.report('schedule.quietHours', 'quiet hours need two different times HH:MM, e.g. { "from": "22:00", "to": "08:00" }');
    return null;
  }
  return { fromMinute, toMinute, text: `${q.from}-${q.to}` };
}

function clockMinutes(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export function compileParticipation(ctx: CompileContext, campaign: Campaign): CompiledParticipation {
  const p = campaign.participation;
  const duration = (text: string | undefined, path: string): Duration | null => {
    if (text === undefined) return null;
    const parsed = parseDuration(text, path);
    if (parsed.ok) return parsed.value;
    ctx.issues.push(...parsed.issues);
    return null;
  };
  if (p.mode === 'serial' && p.maxActive !== undefined && p.maxActive !== 1) {
    ctx.report('participation.maxActive', 'serial mode has one active path; use "mode": "parallel" for more');
  }
  // A journey keeps its newest LIMITS.entryTimes entry times: a larger max could not be counted, and would let more in.
  if (ctx.admitting && p.frequency && p.frequency.max > LIMITS.entryTimes) {
    ctx.report('participation.frequency.max', `at most ${LIMITS.entryTimes}: a journey keeps its newest ${LIMITS.entryTimes} entry times to count them; for more, use a longer per or maxEntries`);
  }
  // Patch bounded-journey-state: a parallel journey runs at most LIMITS.activePaths paths, whatever maxActive says.
  if (ctx.admitting && p.mode === 'parallel' && p.maxActive !== undefined && p.maxActive > LIMITS.activePaths) {
    ctx.report('participation.maxActive', `at most ${LIMITS.activePaths}: a journey's state carries every active path, and must stay small enough for Temporal`);
  }
  if (ctx.admitting) refuseCapsThatNeverApply(ctx, p);
  const per = p.frequency ? duration(p.frequency.per, 'participation.frequency.per') : null;
  return {
    maxEntries: p.maxEntries,
    cooldown: duration(p.cooldown, 'participation.cooldown'),
    frequency: p.frequency && per ? { max: p.frequency.max, per } : null,
    mode: p.mode,
    maxActive: p.mode === 'serial' ? 1 : (p.maxActive ?? null),
  };
}

/**
 * A cooldown or a frequency that can never refuse an entry. maxEntries is
 * checked first and counts every entry the user made (machine/entry.ts), and
 * the journey ends once it is reached (machine/step.ts, updateStatus): with
 * maxEntries 1 (the default) a user enters once, ever, so "once a week" written
 * as a cooldown alone gives a campaign that runs once. A frequency counts
 * entries too: with a max at or above maxEntries it is never reached. Admitting
 * only: a stored version compiles as it was accepted.
 */
function refuseCapsThatNeverApply(ctx: CompileContext, p: Campaign['participation']): void {
  const once = `with maxEntries ${p.maxEntries} (the default when it is not written) a user enters once, ever`;
  const fix = 'set maxEntries to how many times a user may enter in all; a cooldown or a frequency only spaces those entries out';
  if (p.cooldown !== undefined && p.maxEntries === 1) {
    ctx.report('participation.cooldown', `${once}, so the cooldown never applies: ${fix}`);
  }
  if (p.frequency === undefined || p.frequency.max < p.maxEntries) return;
  ctx.report(
    'participation.frequency',
    p.maxEntries === 1
      ? `${once}, so the frequency never applies: ${fix}`
      : `a user enters at most ${p.maxEntries} times in all (maxEntries), so at most ${p.frequency.max} within any ${p.frequency.per} never applies: set max below maxEntries, or raise maxEntries`,
  );
}

/**
 * `entryTypes`: the compiled entry's types. An exit that ends every path on
 * its type (no `if`, or one that always holds) is refused on an entry type,
 * and an `on` transition for its type is refused: exits are checked first.
 */
export function compileExits(ctx: CompileContext, campaign: Campaign, entryTypes: readonly string[]): CompiledExit[] {
  const exits = campaign.exitOn.map((rule, index) => {
    refuseReservedName(ctx, rule.on, 'an event type', joinPath(joinPath('exitOn', index), 'on'));
    const path = joinPath(joinPath('exitOn', index), 'if');
    const condition = ctx.condition(rule.if, path);
    // An exit is checked before entry: an unconditional one on an entry type would let nobody in, ever.
    if (ctx.admitting && takesEvery(rule.if, condition) && entryTypes.includes(rule.on)) {
      ctx.report(joinPath(joinPath('exitOn', index), 'on'), `every ${rule.on} event would end the journey before it could enter (entry.on takes ${rule.on} too, and exits are checked first): give this exit an \`if\`, or take ${rule.on} out of one of them`);
    }
    // Admitting only, as above: a stored version compiles as it was accepted.
    if (ctx.admitting && condition) {
      refusePathFacts(ctx, condition.normalized, path, 'an exit is checked once for the user, apart from any path (it ends them all)', 'in each state it should leave, leading to an end state');
    }
    return { index, eventType: rule.on, condition };
  });
  if (ctx.admitting) refuseTransitionsExitsTakeFirst(ctx, campaign, exits);
  return exits;
}

/**
 * An event matched by an exit ends every path before any transition sees it
 * (machine/step.ts, handleEvent), so an `on` transition for a type that an
 * exit takes every time never fires (a farewell message on unsubscribing).
 * Admitting only: a stored version compiles as it was accepted.
 */
function refuseTransitionsExitsTakeFirst(ctx: CompileContext, campaign: Campaign, exits: readonly CompiledExit[]): void {
  const takenBy = new Map<string, number>();
  for (const exit of exits) {
    if (!takenBy.has(exit.eventType) && takesEvery(campaign.exitOn[exit.index].if, exit.condition)) takenBy.set(exit.eventType, exit.index);
  }
  if (takenBy.size === 0) return;
  for (const [state, definition] of Object.entries(campaign.states)) {
    definition.transitions.forEach((t, index) => {
      const exit = t.on === undefined ? undefined : takenBy.get(t.on);
      if (exit === undefined) return;
      ctx.report(
        joinPath(joinPath(joinPath(joinPath('states', state), 'transitions'), index), 'on'),
        `never fires: exitOn[${exit}] ends every path on ${t.on} first (exits are checked before transitions); give the exit an "if", or drop one of them`,
      );
    });
  }
}

/** Facts only a path has, as messages name them. */
const PATH_FACTS: Readonly<Record<string, string>> = {
  'journey.enteredAt': 'journey.enteredAt (when a path entered)',
  'journey.stateEnteredAt': 'journey.stateEnteredAt (when a path entered its state)',
};

export const isPathFact = (fact: string): boolean => Object.hasOwn(PATH_FACTS, fact);

/** What a condition reads that a path has and an entry or an exit does not, as messages name it (empty: none). */
export function pathFactsRead(cond: Cond): string[] {
  const { facts, aggregates } = factsRead(cond);
  return [...facts.filter(isPathFact).map((f) => PATH_FACTS[f]), ...(aggregates ? ["an aggregate (the events of a path's current state)"] : [])];
}

/** Where a condition that reads them goes: where a path reads it. */
export const READ_BY_A_PATH = "a transition's `when` (or an `on` transition's `if`)";

/**
 * entry.if and exitOn[].if are evaluated without a path (machine/facts.ts,
 * entryFacts): an aggregate or a path's times read null there, where every
 * comparison is false, so such a condition quietly never holds.
 */
function refusePathFacts(ctx: CompileContext, cond: Cond, path: string, where: string, hint: string): void {
  const read = pathFactsRead(cond);
  if (read.length === 0) return;
  const [it, is] = read.length === 1 ? ['it', 'is'] : ['them', 'are'];
  ctx.report(
    path,
    `${where}, so it cannot read ${read.join(', ')}: only a path has ${it}, and here ${it === 'it' ? 'it' : 'they'} ${is} null, so every comparison with ${it} is false. Check the condition in ${READ_BY_A_PATH} instead, ${hint}`,
  );
}
