import type { ConditionSource } from '../../../../src/domain/campaign/schema';

/**
 * The Entry panel's "Starts on": an event (`entry.on`, with an optional
 * `entry.if`) or a schedule (`entry.cron`, with its `entry.timezone`). The
 * language takes one or the other, so switching drops the other kind's
 * fields; what the operator typed there is named first (switchEntry), as the
 * transition panel names the condition a kind change drops.
 */
export type EntryKind = 'event' | 'cron';

/** `entry` as the panel reads it (absent fields while typed in the JSON or YAML tab). */
export interface EntryFields {
  on?: string | string[];
  if?: ConditionSource;
  cron?: string;
  timezone?: string;
}

/** What each kind starts from: also what switching back brings, so dropping only this loses nothing. */
export const ENTRY_SEEDS: Record<EntryKind, EntryFields> = {
  event: { on: 'order.completed' },
  cron: { cron: '0 9 * * *' },
};

export const entryKindOf = (entry: EntryFields): EntryKind => (entry.cron !== undefined ? 'cron' : 'event');

/** A condition as its operator typed it, or its rows as JSON: what a question before dropping it quotes. */
export const conditionText = (c: unknown) => (typeof c === 'string' ? c : JSON.stringify(c));
const eventsText = (on: string | string[]) => (Array.isArray(on) ? on.join(', ') : on);

/**
 * The fields of `entry` a switch of kind loses, in words. A seed's value is not named: the switch keeps it (the
 * new kind's) or switching back brings it (the old one's). A field of the other kind typed in the JSON tab is.
 */
function droppedWords(entry: EntryFields): string[] {
  return [
    entry.on !== undefined && eventsText(entry.on) !== ENTRY_SEEDS.event.on ? `the entry events "${eventsText(entry.on)}"` : null,
    entry.if !== undefined ? `the entry condition "${conditionText(entry.if)}"` : null,
    entry.cron !== undefined && entry.cron !== ENTRY_SEEDS.cron.cron ? `the cron "${entry.cron}"` : null,
    entry.timezone !== undefined ? `the cron's time zone "${entry.timezone}"` : null,
  ].filter((words): words is string => words !== null);
}

/** "a", "a and b", "a, b and c". */
const wordsList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

const KIND_WORDS: Record<EntryKind, string> = {
  event: 'An entry on an event has no cron',
  cron: 'An entry on a schedule has no events or entry condition',
};

/**
 * The entry once "Starts on" is switched to `kind`, and the question to ask first when that drops what the
 * operator typed (null: nothing is lost: the same kind, or only the seed the entry started from).
 */
export function switchEntry(entry: EntryFields, kind: EntryKind): { entry: EntryFields; confirm: string | null } {
  if (entryKindOf(entry) === kind) return { entry, confirm: null };
  const dropped = droppedWords(entry);
  const confirm = dropped.length === 0 ? null : `${KIND_WORDS[kind]}: switching drops ${wordsList(dropped)} (Undo brings ${dropped.length === 1 ? 'it' : 'them'} back). Switch?`;
  return { entry: { ...ENTRY_SEEDS[kind] }, confirm };
}
