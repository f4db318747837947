/**
 * compilePlan: a campaign that passed the schema, to a runnable, immutable
 * plan or a list of problems (the checks a schema cannot express), each with
 * the JSON path an operator can act on. It never throws.
 *
 * No zod here: the journey workflow compiles its pinned plan with this module,
 * and every module in the workflow bundle is instantiated per cached journey.
 * compileCampaign (compile-campaign.ts) validates arbitrary JSON first.
 */
import { applyCampaignDefaults } from '../campaign/defaults';
import type { Campaign, CampaignInput } from '../campaign/schema';
import { fail, joinPath, listedIssues, ok, type Result } from '../issues';
import type { Cond } from '../conditions/ast';
import { factsRead } from '../conditions/facts-read';
import { CompileContext, type PoolRef } from './context';
import { deepFreeze } from './freeze';
import { checkGraph } from './graph';
import { compileEntry, compileExits, compileParticipation, compileSchedule, isPathFact, pathFactsRead, READ_BY_A_PATH } from './participation';
import type { CompiledPlan, CompiledState, CompiledTransition } from './plan';
import { refuseReservedName } from './reserved-names';
import { compileActions } from './steps';
import { summarize } from './summary';
import { compileTransitions, indexOnByType, isImmediate } from './transitions';

export interface CompileOptions {
  /** The campaign version this plan runs as (default 1). */
  version?: number;
  /** Existing reward pools; when given, every pool a step names must exist with the right kind. */
  pools?: ReadonlyArray<PoolRef>;
  /**
   * The campaign is being saved or activated now: it must also pass the
   * checks added after versions were stored (a literal amount above
   * MAX_REWARD_AMOUNT, split weights whose sum overflows). Without it a stored version compiles as it was
   * accepted: its running journeys recompile it, and the routing index too.
   */
  admitting?: boolean;
  /**
   * When admitting: the time the campaign is saved or activated (epoch ms),
   * for the checks against the clock (an `at` no further ahead than a timer
   * can wait). Without it, the clock when an `at` is checked. Not read
   * without `admitting`.
   */
  now?: number;
}

export function compilePlan(campaign: Campaign, opts: CompileOptions = {}): Result<CompiledPlan> {
  return guarded(() => compileParsed(campaign, opts));
}

/**
 * A definition as stored when its version was activated (so it passed the
 * schema then): the schema's defaults applied here, then compiled. Should the
 * stored JSON be damaged after all, the result is issues, not an exception.
 */
export function compileStoredCampaign(definition: unknown, opts: CompileOptions = {}): Result<CompiledPlan> {
  return guarded(() => compileParsed(applyCampaignDefaults(definition as CampaignInput), opts));
}

function guarded(compile: () => Result<CompiledPlan>): Result<CompiledPlan> {
  try {
    return compile();
  } catch (error) {
    // A bug here must not become a 500 for the client; report it where it can be seen.
    const detail = error instanceof Error ? error.message : String(error);
    return fail([{ path: '', message: `the campaign could not be compiled (internal error: ${detail})` }]);
  }
}

function compileParsed(campaign: Campaign, opts: CompileOptions): Result<CompiledPlan> {
  const ctx = new CompileContext(opts.pools, opts.admitting, opts.now);
  const audience = ctx.condition(campaign.audience, 'audience');
  if (ctx.admitting && audience) refuseNonUserFacts(ctx, audience.normalized, campaign.entry.cron !== undefined);
  const entry = compileEntry(ctx, campaign);
  const schedule = compileSchedule(ctx, campaign);
  const participation = compileParticipation(ctx, campaign);
  const exitOn = compileExits(ctx, campaign, entry.types);

  const states: Record<string, CompiledState> = {};
  const graph = new Map<string, CompiledTransition[]>();
  for (const [name, definition] of Object.entries(campaign.states)) {
    const path = joinPath('states', name);
    refuseReservedName(ctx, name, 'a state name', path);
    const transitions = compileTransitions(ctx, name, definition.transitions, joinPath(path, 'transitions'));
    graph.set(name, transitions);
    states[name] = {
      name,
      end: definition.end === true,
      actions: definition.actions ? compileActions(ctx, name, definition.actions, joinPath(path, 'actions')) : null,
      transitions,
      onByType: indexOnByType(transitions),
      hasImmediate: transitions.some(isImmediate),
      timed: transitions.filter((t) => t.kind === 'after' || t.kind === 'at').map((t) => t.index),
    };
  }
  checkGraph(ctx, campaign, graph);
  if (ctx.issues.length > 0) return fail(listedIssues(ctx.issues));

  const aggregates = Object.fromEntries(ctx.aggregates);
  const listen = new Set<string>();
  for (const s of Object.values(states)) for (const t of s.transitions) if (t.kind === 'on') listen.add(t.eventType);
  for (const x of exitOn) listen.add(x.eventType);
  for (const spec of ctx.aggregates.values()) listen.add(spec.eventType);

  const withoutSummary = {
    key: campaign.key,
    version: opts.version ?? 1,
    name: campaign.name,
    entryTypes: entry.types,
    listenTypes: [...listen].sort(),
    entry,
    audience,
    schedule,
    participation,
    exitOn,
    initial: campaign.initial,
    states,
    aggregates,
    definition: campaign,
  };
  const plan: CompiledPlan = { ...withoutSummary, summary: summarize(withoutSummary, ctx.poolsUsed) };
  return ok(deepFreeze(plan));
}

/**
 * An audience is a condition on the user (CAMPAIGNS.md): a batch entry has no
 * event; an event's facts and journey.entries belong in `entry.if`, and what
 * only a path has (aggregates, journey.enteredAt, journey.stateEnteredAt) in
 * a transition, since `entry.if` reads those as null too. Beside `cron`
 * (`batch`), entry.if is refused (admitCron), so the advice there is what a
 * batch entry does have. Admitting only: a stored version compiles as it was
 * accepted.
 */
function refuseNonUserFacts(ctx: CompileContext, audience: Cond, batch: boolean): void {
  const ofPath = pathFactsRead(audience);
  const atEntry = factsRead(audience).facts.filter((f) => !f.startsWith('user.') && !isPathFact(f));
  if (atEntry.length === 0 && ofPath.length === 0) return;
  const prefix = 'an audience is a condition on the user (user.*); it reads';
  const [it, they] = ofPath.length === 1 ? ['it', 'it is'] : ['them', 'they are'];
  if (batch) {
    const toPath = `${READ_BY_A_PATH}: only a path has ${it} (at entry ${they} null)`;
    const hints = [...batchEntryHints(atEntry), ...(ofPath.length === 0 ? [] : [`put ${ofPath.join(', ')} in ${toPath}`])];
    ctx.report('audience', `${prefix} ${[...atEntry, ...ofPath].join(', ')}: ${hints.join('; ')}`);
    return;
  }
  const toPath = `${READ_BY_A_PATH}: only a path has ${it} (at entry, in entry.if too, ${they} null)`;
  if (ofPath.length === 0) ctx.report('audience', `${prefix} ${atEntry.join(', ')}: put that in entry.if`);
  else if (atEntry.length === 0) ctx.report('audience', `${prefix} ${ofPath.join(', ')}: put that in ${toPath}`);
  else ctx.report('audience', `${prefix} ${[...atEntry, ...ofPath].join(', ')}: put ${atEntry.join(', ')} in entry.if, and the rest in ${toPath}`);
}

/**
 * Where an audience's event facts and journey.entries go in a batch entry
 * (entry.cron), which has no event and no entry.if: a tick picks users by
 * their profile, reading every event fact as null and journey.entries as 0
 * (batch-activities), so such a condition never works there.
 */
function batchEntryHints(atEntry: readonly string[]): string[] {
  const eventFacts = atEntry.filter((f) => f !== 'journey.entries');
  const hints: string[] = [];
  if (eventFacts.length > 0) {
    const [it, is] = eventFacts.length === 1 ? ['it', 'is'] : ['them', 'are'];
    hints.push(
      `a batch entry (cron) has no event, so ${eventFacts.join(', ')} ${is} null at each tick: drop ${it}, or enter on that event with \`entry.on\` instead of \`cron\``,
    );
  }
  if (atEntry.includes('journey.entries')) {
    hints.push('a batch entry (cron) picks users before any journey counts their entries (journey.entries is 0 there): to limit how often a user enters, use participation.maxEntries, participation.cooldown or participation.frequency');
  }
  return hints;
}
