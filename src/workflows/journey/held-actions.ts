import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import type { RunAction, TraceEntry } from '../../domain/machine';
import { jsonBytes } from '../../domain/json-size';
import { heldEntry, retriedEntry } from '../../domain/machine/held-trace';
import type { HeldAction } from './carried';
import type { HeldActionDecision, HeldActionRequest } from './contract';

/**
 * What the held steps may weigh as JSON together (patch carried-work-bounded):
 * they travel in every continue-as-new's input, a message with its data.
 */
export const HELD_BYTES = 256 * 1024;

/** The words a failure is held (or refused) with: the activity's own error when it has one. */
export function failureText(err: unknown): string {
  return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
}

/**
 * Actions that failed for good, each waiting for an operator to retry or
 * skip it (the retryAction / skipAction updates). Only the bookkeeping of
 * holding and deciding: running the action again is the shell's business.
 */
export class HeldActions {
  private readonly held = new Map<string, HeldAction>();
  private readonly decisions = new Map<string, 'retry' | 'skip'>();
  /** Why a step was skipped without an operator (patch cancel-stops-effects), until its holder reads it. */
  private readonly dropped = new Map<string, string>();

  constructor(
    /** Told when a step starts or stops being held (the shell shows `held` in JourneyState). */
    private readonly changed: () => void,
    /** Given the trace entries of a hold and of an operator's retry (the journey's decision trace). */
    private readonly trace: (entry: TraceEntry) => void = () => undefined,
  ) {}

  get size(): number {
    return this.held.size;
  }

  list(): HeldAction[] {
    return [...this.held.values()];
  }

  /** Whether holding `e` too keeps the held steps within HELD_BYTES. */
  hasRoomFor(e: RunAction): boolean {
    let bytes = jsonBytes(e);
    for (const h of this.held.values()) if ((bytes += jsonBytes(h)) > HELD_BYTES) return false;
    return bytes <= HELD_BYTES;
  }

  isHeld(e: RunAction): boolean {
    return this.held.has(key(e.pathId, e.stepId));
  }

  /**
   * Holds `e` until an operator decides; resolves with the decision.
   * `resumedSince`: a step held in an earlier run, whose hold is in the trace already.
   */
  async hold(e: RunAction, err: unknown, resumedSince?: string): Promise<'retry' | 'skip'> {
    const k = key(e.pathId, e.stepId);
    const error = failureText(err);
    const since = resumedSince ?? new Date(Date.now()).toISOString();
    this.held.set(k, { effect: e, error, since });
    log.warn('action held for an operator', { stepId: e.stepId, error });
    if (resumedSince === undefined) this.trace(heldEntry(e, error, since));
    this.changed();
    await condition(() => this.decisions.has(k));
    const decision = this.decisions.get(k)!;
    this.decisions.delete(k);
    this.held.delete(k);
    this.changed();
    return decision;
  }

  /**
   * Held steps that match no longer wait for an operator: they are skipped,
   * and `takeDropReason` says why. Without a reason (journeys from before
   * patch cancel-stops-effects) they read as skipped by an operator, as they did.
   */
  dropWhere(matches: (e: RunAction) => boolean, reason?: string): void {
    for (const [k, h] of this.held) {
      if (this.decisions.has(k) || !matches(h.effect)) continue;
      this.decisions.set(k, 'skip');
      if (reason !== undefined) this.dropped.set(k, reason);
    }
  }

  /** After `hold` answered skip: the reason it was dropped, or undefined when an operator skipped it. */
  takeDropReason(e: RunAction): string | undefined {
    const k = key(e.pathId, e.stepId);
    const reason = this.dropped.get(k);
    this.dropped.delete(k);
    return reason;
  }

  /**
   * Validates an operator's retry/skip: it must name a held step (or there must be exactly one).
   * `undecided` (the updates' validator): a step decided by an earlier update of the same activation,
   * still listed until its holder wakes, is not held any more: a second decision would be accepted and
   * answered, and only the last one carried out. The handler asks without it: replayed, it must take
   * every update its history accepted, as it did.
   */
  find(req: HeldActionRequest, opts: { undecided?: boolean } = {}): HeldAction {
    const matches = (h: HeldAction) => (!req.pathId || h.effect.pathId === req.pathId) && (!req.stepId || h.effect.stepId === req.stepId);
    const isDecided = (h: HeldAction) => this.decisions.has(key(h.effect.pathId, h.effect.stepId));
    const held = opts.undecided ? this.list().filter((h) => !isDecided(h)) : this.list();
    const candidates = held.filter(matches);
    // What is held, named as the request names it: so a wrong path or step says what would be right.
    const named = (list: HeldAction[]) => list.map((h) => `${h.effect.stepId} on path ${h.effect.pathId}`).join(', ');
    if (candidates.length === 0) {
      const decided = opts.undecided ? this.list().filter((h) => isDecided(h) && matches(h)) : [];
      if (decided.length > 0) {
        const [first] = decided;
        throw ApplicationFailure.create({
          type: 'NotHeld',
          message: `${named(decided)} was decided already (${this.decisions.get(key(first.effect.pathId, first.effect.stepId))}) and is being carried out`,
        });
      }
      const asked = [req.stepId ? `at step ${req.stepId}` : '', req.pathId ? `on path ${req.pathId}` : ''].filter(Boolean).join(' ');
      throw ApplicationFailure.create({
        type: 'NotHeld',
        message: held.length === 0 ? 'no action of this journey is held' : `no action is held ${asked}; held: ${named(held)}`,
      });
    }
    if (candidates.length > 1) {
      const sameStep = new Set(candidates.map((h) => h.effect.stepId)).size === 1;
      throw ApplicationFailure.create({ type: 'AmbiguousHeld', message: `${candidates.length} actions are held (${named(candidates)}): name the ${sameStep ? 'pathId' : 'stepId'}` });
    }
    return candidates[0];
  }

  /**
   * The updates' validator: the step `find` names among those not decided yet and, when the request says
   * since when the step it means is held (`since`), that hold and not a later one. A step held again (its
   * retry failed too, or its path came back to it) is a hold the caller did not see: deciding it on the
   * word of the earlier one would retry or skip what nobody looked at. Validators are not replayed (an
   * accepted update replays through the handler alone, a refused one leaves no history), so this changes
   * nothing a running journey does and needs no patch.
   */
  validate(req: HeldActionRequest): HeldAction {
    const h = this.find(req, { undecided: true });
    if (req.since !== undefined && Date.parse(req.since) !== Date.parse(h.since)) {
      throw ApplicationFailure.create({
        type: 'NotHeld',
        message: `${h.effect.stepId} on path ${h.effect.pathId} is held since ${h.since}, not since ${req.since}: it was held again after the hold that was seen; read the journey again`,
      });
    }
    return h;
  }

  /**
   * The step the handler decides: the one find names, as before (a history's accepted updates replay the same);
   * when that is ambiguous only because a step matching too was decided earlier in the activation, the one the
   * validator chose (undecided). No older history reaches that case: its validator refused an ambiguous request.
   */
  private chosen(req: HeldActionRequest): HeldAction {
    try {
      return this.find(req);
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      return this.find(req, { undecided: true });
    }
  }

  decide(req: HeldActionRequest, decision: 'retry' | 'skip'): HeldActionDecision {
    const { effect } = this.chosen(req);
    this.decisions.set(key(effect.pathId, effect.stepId), decision);
    // A skip reaches the trace as the step's outcome; a retry would show only when the step next succeeds or fails.
    if (decision === 'retry') this.trace(retriedEntry(effect, new Date(Date.now()).toISOString()));
    return { pathId: effect.pathId, stepId: effect.stepId, decision };
  }
}

/** AmbiguousHeld from find: several steps match a request that names none, or only its path. */
const isAmbiguous = (err: unknown): boolean => err instanceof ApplicationFailure && err.type === 'AmbiguousHeld';

function key(pathId: string, stepId: string): string {
  return `${pathId}/${stepId}`;
}
