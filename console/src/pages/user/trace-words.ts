/**
 * The decision trace of a journey (GET /v1/journeys/:campaign/:user) as a
 * support agent reads it: one group per thing that came in, its cause said
 * once at the top, each line a sentence ("issued coupon WELCOME-10 (reward
 * r-1)"), and the cancels of events the journey saw, with what was taken
 * back. The journey's notes are written for the engine's log; the words here
 * are rebuilt from them, from the journey's own reward records and from the
 * rewards the ledger lists (which may be cut short, or not read). The engine's
 * wording is thus a contract: trace-words.test.ts reads the trace the
 * real state machine writes, so a change on either side that no longer
 * reads fails there.
 */
import { endStateReason } from '../../../../src/domain/machine/end-reason';
import { amount, counted, exactAmount } from '../../ui/numbers';
import { cancellationSentence, type CancelledEvent, type TakenBack } from './cancellation-words';
import { rewardName, type RewardFacts } from './reward-words';

export interface Candidate {
  transition: string;
  result: boolean;
  failed: Array<{ text: string; values: Record<string, string> }>;
}
export interface TraceNote {
  kind: string;
  pathId?: string;
  message: string;
  candidates?: Candidate[];
}
export interface TraceEntry {
  at: string;
  input: string;
  notes: TraceNote[];
}
/**
 * A reward step as the journey keeps it; `result` is what the ledger answered
 * (`{ rewardId, code }`), `status` what the journey did with it, and
 * `ledgerStatus` the ledger's status when the journey was read (null: the
 * ledger holds none for its key).
 */
export interface JourneyReward {
  pathId: string;
  stepId: string;
  type: string;
  idempotencyKey: string;
  causedBy: string[];
  status: string;
  ledgerStatus: string | null;
  result?: unknown;
}
/** A reward as the ledger lists it (GET /v1/users/:id/rewards). */
export interface LedgerReward extends RewardFacts {
  id: string;
  campaign: string;
  status: string;
  causedBy: string[];
}
/** One of the user's events (GET /v1/users/:id/events). */
export interface KnownEvent extends CancelledEvent {
  cancelledAt: string | null;
}

/**
 * How much of the user's ledger the desk read: every reward, only the newest
 * (the list is capped and there are more), or none (not read yet, or the
 * read failed). Only a ledger read whole can say an event took nothing back.
 */
export type LedgerReach = 'all' | 'newest' | 'unread' | 'failed';

/** The reach of the desk's rewards list: `list` as answered (undefined until then), `failed` when the read failed. */
export function ledgerReachOf(list: { rewards: readonly unknown[]; total: number } | undefined, failed: boolean): LedgerReach {
  if (list === undefined) return failed ? 'failed' : 'unread';
  return list.total > list.rewards.length ? 'newest' : 'all';
}

export interface TraceFacts {
  campaign: string;
  /** The journey's reward steps. */
  rewards: JourneyReward[];
  /** The user's rewards in the ledger (all campaigns). */
  ledger: LedgerReward[];
  /** How much of the user's ledger `ledger` is. */
  ledgerReach: LedgerReach;
  /** The user's recent events: their types, and which were cancelled. */
  events: KnownEvent[];
}

export interface TraceLine {
  text: string;
  /** Transitions that did not fire, each with the parts of its condition that were false. */
  failed?: Candidate[];
}
export interface TraceGroup {
  at: string;
  /** What came in, or the cancel: said once for the group. */
  cause: string;
  kind: 'input' | 'cancellation';
  lines: TraceLine[];
}

type Input =
  | { kind: 'event'; type: string; id: string }
  | { kind: 'outcome'; stepId: string; outcome: string }
  | { kind: 'cancel'; eventId: string }
  | { kind: 'timer'; timerId: string }
  | { kind: 'scheduled'; tickId: string }
  | { kind: 'exit'; reason: string }
  | { kind: 'held'; stepId: string }
  | { kind: 'retried'; stepId: string }
  | { kind: 'archived' }
  | { kind: 'other'; text: string };

/** The journey's `input` line (src/domain/machine/step.ts, describeInput) read back. */
export function parseInput(input: string): Input {
  let m: RegExpExecArray | null;
  if ((m = /^event (\S+) ([\s\S]+)$/.exec(input))) return { kind: 'event', type: m[1], id: m[2] };
  if ((m = /^outcome ([\s\S]+) (\S+)$/.exec(input))) return { kind: 'outcome', stepId: m[1], outcome: m[2] };
  if ((m = /^cancel ([\s\S]+)$/.exec(input))) return { kind: 'cancel', eventId: m[1] };
  if ((m = /^timer ([\s\S]+)$/.exec(input))) return { kind: 'timer', timerId: m[1] };
  if ((m = /^scheduled entry ([\s\S]+)$/.exec(input))) return { kind: 'scheduled', tickId: m[1] };
  if ((m = /^exit ([\s\S]*)$/.exec(input))) return { kind: 'exit', reason: m[1] };
  // Written by the workflow, not `step` (src/domain/machine/held-trace.ts).
  if ((m = /^held ([\s\S]+)$/.exec(input))) return { kind: 'held', stepId: m[1] };
  if ((m = /^operator retry ([\s\S]+)$/.exec(input))) return { kind: 'retried', stepId: m[1] };
  if (input === 'campaign archived') return { kind: 'archived' };
  return { kind: 'other', text: input };
}

/** The trace in groups, newest first, with the cancels the journey itself never heard of (it had ended) put in their place. */
export function traceInWords(trace: TraceEntry[], facts: TraceFacts): TraceGroup[] {
  const groups = trace.map((entry) => groupOf(entry, facts));
  const told = new Set(trace.map((t) => parseInput(t.input)).flatMap((i) => (i.kind === 'cancel' ? [i.eventId] : [])));
  for (const event of cancelledEventsOf(trace, facts)) {
    if (told.has(event.id) || event.cancelledAt === null) continue;
    groups.push({ at: event.cancelledAt, kind: 'cancellation', cause: cancelWords(event, facts, null), lines: [] });
  }
  // Newest first; a stable sort keeps the journey's own order among entries of the same instant.
  return groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => Date.parse(b.g.at) - Date.parse(a.g.at) || b.i - a.i)
    .map(({ g }) => g);
}

/** The user's cancelled events that touched this journey: it saw them, or they caused one of its rewards. */
function cancelledEventsOf(trace: TraceEntry[], facts: TraceFacts): KnownEvent[] {
  const seen = new Set<string>();
  for (const t of trace) {
    const input = parseInput(t.input);
    if (input.kind === 'event') seen.add(input.id);
  }
  for (const r of facts.rewards) r.causedBy.forEach((id) => seen.add(id));
  for (const r of facts.ledger) if (r.campaign === facts.campaign) r.causedBy.forEach((id) => seen.add(id));
  return facts.events.filter((e) => e.cancelledAt !== null && seen.has(e.id));
}

/**
 * What the journey's own summary of a cancel says it reclaimed: the
 * idempotency keys it listed ("event o-2 cancelled: reclaiming k1, k2"),
 * 'none' ("no reward to reclaim"), or null when there is no such note (an
 * ended journey never heard of the cancel; a note past the entry's bound).
 */
type Reclaiming = { keys: string } | 'none' | null;

function reclaimingOf(notes: TraceNote[], eventId: string): Reclaiming {
  for (const n of notes) {
    if (n.kind !== 'cancel' || n.pathId !== undefined) continue;
    if (n.message === `event ${eventId} cancelled: no reward to reclaim`) return 'none';
    const prefix = `event ${eventId} cancelled: reclaiming `;
    if (n.message.startsWith(prefix)) return { keys: n.message.slice(prefix.length) };
  }
  return null;
}

/**
 * Whether the summary's list of keys names this reward. The list is cut at
 * the note's bound (an ellipsis at its end): past the cut, a reward the
 * event caused that the journey reclaimed counts as named.
 */
function reclaimedIn(keys: string, r: JourneyReward, eventId: string): boolean {
  if (`, ${keys}, `.includes(`, ${r.idempotencyKey}, `)) return true;
  return keys.endsWith('…') && r.causedBy.includes(eventId) && r.status === 'reclaimed';
}

/**
 * The rewards of this campaign that a cancel of `eventId` takes back, from
 * the journey's own records (those its note names; without a note, those
 * the event caused that reached the ledger) and from the ledger's list, each
 * named once, with the ledger's status where it lists it.
 */
function takenBackBy(eventId: string, facts: TraceFacts, reclaiming: Exclude<Reclaiming, 'none'>): TakenBack[] {
  const listed = facts.ledger.filter((r) => r.campaign === facts.campaign && r.causedBy.includes(eventId));
  const own = facts.rewards.filter((r) => (reclaiming ? reclaimedIn(reclaiming.keys, r, eventId) : r.causedBy.includes(eventId) && r.ledgerStatus !== null && r.status !== 'notIssued'));
  const named = new Set<string>();
  const taken: TakenBack[] = own.map((r) => {
    const result = asRecord(r.result);
    const id = typeof result?.rewardId === 'string' ? result.rewardId : null;
    const inLedger = id === null ? undefined : facts.ledger.find((l) => l.id === id);
    if (inLedger) named.add(inLedger.id);
    // Not in the desk's list (older than it reaches, not read, or still being issued): named from the journey's record,
    // with the ledger's status the journey was read with (none yet: being issued, and taken back once it is).
    return inLedger ?? { kind: r.type, code: typeof result?.code === 'string' ? result.code : undefined, status: r.ledgerStatus ?? 'issued' };
  });
  return [...taken, ...listed.filter((l) => !named.has(l.id))];
}

/** Why the desk cannot say what a cancel took back: its rewards list does not reach that far, or was not read. */
function ledgerGap(facts: TraceFacts): string {
  switch (facts.ledgerReach) {
    case 'all':
      return '';
    case 'newest':
      return `not among the newest ${counted(facts.ledger.length, 'reward')} the desk reads`;
    case 'unread':
      return 'the rewards list has not come yet';
    case 'failed':
      return 'the rewards list could not be read';
  }
}

/**
 * A cancel in one sentence, with what it took back. "Nothing to take back"
 * only when the journey said so, or when the ledger, read whole, lists
 * nothing the event caused; otherwise what the desk cannot see is said to be
 * not known, never to be nothing.
 */
function cancelWords(event: CancelledEvent, facts: TraceFacts, reclaiming: Reclaiming): string {
  if (reclaiming === 'none') return cancellationSentence(event, []);
  const taken = takenBackBy(event.id, facts, reclaiming);
  if (taken.length > 0) return cancellationSentence(event, taken);
  const gap = ledgerGap(facts);
  if (reclaiming) return cancellationSentence(event, [], `rewards being taken back, not named here${gap ? ` (${gap})` : ''}`);
  return cancellationSentence(event, [], gap ? `what it took back is not known here (${gap})` : null);
}

function groupOf(entry: TraceEntry, facts: TraceFacts): TraceGroup {
  const input = parseInput(entry.input);
  if (input.kind === 'cancel') {
    const known = facts.events.find((e) => e.id === input.eventId);
    const event = { id: input.eventId, type: known?.type ?? null, cancelReason: known?.cancelReason ?? null };
    const again = entry.notes.some((n) => n.kind === 'ignored' && /already cancelled/.test(n.message));
    return {
      at: entry.at,
      kind: 'cancellation',
      cause: again ? `${eventName(event)} cancelled again: nothing more to do` : cancelWords(event, facts, reclaimingOf(entry.notes, input.eventId)),
      // The journey's own summary ("cancelled: reclaiming <keys>") is what the sentence says.
      lines: entry.notes.filter((n) => n.kind === 'cancel' && n.pathId !== undefined).map((n) => noteLine(n, input, facts)),
    };
  }
  return { at: entry.at, kind: 'input', cause: causeWords(input), lines: entry.notes.map((n) => noteLine(n, input, facts)).filter((l) => l.text !== '') };
}

const eventName = (e: { id: string; type: string | null }) => (e.type ? `${e.type} ${e.id}` : `event ${e.id}`);

/** What came in, said once at the top of its group. */
export function causeWords(input: Input): string {
  switch (input.kind) {
    case 'event':
      return `${input.type} ${input.id}`;
    case 'outcome':
      return `step ${input.stepId} ${input.outcome}`;
    case 'cancel':
      return `event ${input.eventId} cancelled`;
    case 'timer':
      return `a wait ran out (timer ${input.timerId})`;
    case 'scheduled':
      return `scheduled entry ${input.tickId}`;
    case 'exit':
      return `asked to leave the campaign${input.reason ? `: ${input.reason}` : ''}`;
    case 'held':
      return `step ${input.stepId} failed for good and waits for an operator`;
    case 'retried':
      return `an operator retried step ${input.stepId}`;
    case 'archived':
      return 'the campaign was archived';
    case 'other':
      return input.text;
  }
}

/** One note as a sentence, without the cause its group already names ('' when nothing is left to say). */
export function noteLine(note: TraceNote, input: Input, facts: TraceFacts): TraceLine {
  const cause = input.kind === 'event' ? `${input.type} ${input.id}` : null;
  const message = cause !== null && note.message.endsWith(`: ${cause}`) ? note.message.slice(0, -(cause.length + 2)) : note.message;
  let m: RegExpExecArray | null;
  if (input.kind === 'retried' && (m = /^an operator retried ([\s\S]+)$/.exec(message))) return { text: `runs again: ${m[1]}` };
  switch (note.kind) {
    case 'entered':
      if ((m = /^entry (\d+)(?:: ([\s\S]*))?$/.exec(message))) return { text: `entered the campaign (entry ${m[1]})${m[2] ? `: ${m[2]}` : ''}` };
      break;
    case 'transition':
      if ((m = /^(.+?) → (.+?)(?:: ([\s\S]*))?$/.exec(message))) return { text: transitionWords(m[1], m[2], m[3] ?? '') };
      break;
    case 'action':
      return { text: actionWords(message) };
    case 'outcome':
      return { text: outcomeWords(note, input, facts) };
    case 'noTransition':
      if ((m = /^(.+?): ([\s\S]*)$/.exec(message))) {
        return { text: `stayed in ${m[1]}: ${m[2].replace(/^nothing waits for (.+) here$/, 'nothing here waits for $1')}`, failed: note.candidates?.filter((c) => !c.result) };
      }
      break;
    case 'refused':
      m = /^already entered (\d+) time\(s\); maxEntries is (\d+)$/.exec(message);
      return { text: m ? `not entered again: already entered ${counted(Number(m[1]), 'time')}, and the campaign allows ${counted(Number(m[2]), 'entry', 'entries')}` : `not entered: ${message}` };
    case 'end':
      // Only two things end a path: an end state (these words, for that state) and an exit (exitOn, an operator's), whose reason says which.
      if ((m = /^path ended in (.+?): ([\s\S]*)$/.exec(message))) return { text: m[2] === endStateReason(m[1]) ? `ended in ${m[1]}` : `exited while in ${m[1]} (${m[2]})` };
      break;
    case 'cancel':
      if ((m = /^event (.+) no longer counts in (.+)$/.exec(message))) return { text: `no longer counts toward ${m[2]}` };
      break;
    case 'held':
      if ((m = /^([\s\S]+?) failed for good: ([\s\S]*); held until an operator retries or skips it$/.exec(message))) return { text: `${m[1]}: ${m[2]} (retry or skip it on the Held steps page)` };
      break;
  }
  return { text: message };
}

/** "shopping → rewarded: shopping → rewarded on order.completed if …": the move, and its trigger without the move said twice. */
function transitionWords(from: string, to: string, cause: string): string {
  const trigger = cause.startsWith(`${from} → ${to} `) ? cause.slice(`${from} → ${to} `.length) : cause;
  const move = from === '(entry)' ? `started in ${to}` : `moved from ${from} to ${to}`;
  return trigger ? `${move}: ${trigger}` : move;
}

/** A step started, skipped or failed (src/domain/machine/actions.ts). */
function actionWords(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^(\S+) (skipped|failed): ([\s\S]*)$/.exec(message))) return `step ${m[1]} ${m[2]}: ${m[3]}`;
  if ((m = /^([^\s:]+): ([\s\S]*)$/.exec(message))) return `started step ${m[1]}: ${summaryWords(m[2])}`;
  return message;
}

/** An action's summary with its amount grouped and the noun agreeing: "1,000,000 points from desk-points". */
function summaryWords(summary: string): string {
  return summary
    .replace(/^(\d+(?:\.\d+)?) points?\b/, (_, n: string) => counted(Number(n), 'point'))
    .replace(/^(\d+(?:\.\d+)?) ([A-Z]{3}) credit\b/, (_, n: string, cur: string) => `${amount(Number(n))} ${cur} credit`);
}

/** What the ledger (or another action) answered a step: for a reward, what was issued and its id. */
function outcomeWords(note: TraceNote, input: Input, facts: TraceFacts): string {
  const m = /^(\S+) (\S+)(?: ([\s\S]*))?$/.exec(note.message);
  if (!m) return note.message;
  const [, stepId, outcome, tail] = m;
  const reward = [...facts.rewards].reverse().find((r) => r.stepId === stepId && (note.pathId === undefined || r.pathId === note.pathId));
  const result = asRecord(reward?.result) ?? asRecord(parseJson(tail));
  // The group's cause names the step and its outcome already: the line says what it meant.
  const said = input.kind === 'outcome' && input.stepId === stepId && input.outcome === outcome ? '' : `step ${stepId} ${outcome}`;
  if (reward) {
    const id = typeof result?.rewardId === 'string' ? result.rewardId : null;
    if (outcome === 'succeeded' && id) {
      const ledger = facts.ledger.find((r) => r.id === id);
      const code = typeof result?.code === 'string' ? result.code : undefined;
      return `issued ${rewardName(ledger ?? { kind: reward.type, code })} (reward ${id})`;
    }
    if (outcome === 'succeeded' && typeof result?.alreadyHolding === 'string') return `no new ${reward.type}: the user already holds one (reward ${result.alreadyHolding})`;
    if (outcome === 'exhausted') return `${reward.type} not issued: the pool ran out${typeof result?.reason === 'string' && result.reason !== 'exhausted' ? ` (${result.reason})` : ''}`;
    return `${reward.type} not issued (${outcome})`;
  }
  const details = result ? resultWords(result) : (tail ?? '');
  return [said, details].filter(Boolean).join(': ');
}

/** A flat answer in words: "skipped by an operator", "status: 200". */
function resultWords(result: Record<string, unknown>): string {
  if (result.skippedBy === 'operator') return 'skipped by an operator';
  return Object.entries(result)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : typeof v === 'number' ? amount(v) : JSON.stringify(v)}`)
    .join(', ');
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Clipped by the trace's bound (it ends in "…"): not JSON any more.
    return undefined;
  }
}

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * The values a false condition read, numbers grouped but never rounded:
 * "sum(order.amount) = 1,000,000, event.amount = 5". A sum of 0.7 and 0.1
 * that failed `>= 0.8` reads 0.7999999999999999, as it was compared.
 */
export function valuesWords(values: Record<string, string>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return 'no values';
  return entries.map(([k, v]) => `${k} = ${exactAmount(v)}`).join(', ');
}
