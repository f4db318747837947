import type { TopUpFields } from './top-up-body';

/**
 * One pool's top-up as the pools page keeps it, whether or not its form is
 * open: the form may be closed (another pool's Top up opened) while it is on
 * its way, and its answer must still land somewhere.
 *
 * `id` is kept until an answer says what became of it: a form reopened after
 * a failure or while it is still being sent sends the same id, so sending
 * again never adds twice. `sent` is what was sent under it, for a reopened
 * form to show; `failure` the last failure, with the codes text that was
 * sent (the API names a code by its place in it). `draft` is what the form
 * holds and has not sent: opening another pool's form closes this one, and
 * codes pasted into it must be there when it opens again.
 */
export interface PoolTopUp {
  id: string;
  sending: boolean;
  sent: TopUpFields | null;
  /** The fields as typed since the form opened or last sent, null when untouched: a reopened form shows these first. */
  draft: TopUpFields | null;
  failure: { error: unknown; codes: string } | null;
  /** The earlier top-up under the last id was applied (a 409 on a reuse): said once the form shows. */
  earlier: string | null;
}

export type TopUps = Readonly<Record<string, PoolTopUp>>;

/** The pool's top-up: the one under way or last failed, or a new one with a fresh id. */
export function topUpOf(all: TopUps, key: string, draw: () => string): PoolTopUp {
  return all[key] ?? { id: draw(), sending: false, sent: null, draft: null, failure: null, earlier: null };
}

/** Sent under `id`: the id stays the pool's until the answer comes. */
export function topUpSending(all: TopUps, key: string, id: string, fields: TopUpFields): TopUps {
  return { ...all, [key]: { id, sending: true, sent: fields, draft: null, failure: null, earlier: null } };
}

/** The API took it (or had already): the next top-up of the pool is a new one. */
export function topUpDone(all: TopUps, key: string): TopUps {
  const { [key]: _done, ...rest } = all;
  return rest;
}

/** It failed, or no answer came: the id stays, so sending it again cannot add twice. */
export function topUpFailed(all: TopUps, key: string, id: string, failure: { error: unknown; codes: string }, draw: () => string): TopUps {
  const now = topUpOf(all, key, draw);
  return { ...all, [key]: { ...now, id, sending: false, failure } };
}

/** The API had applied an earlier top-up under this id: the next Add is a top-up of its own, under `newId`. */
export function topUpAppliedEarlier(all: TopUps, key: string, notice: string, newId: string): TopUps {
  return { ...all, [key]: { id: newId, sending: false, sent: all[key]?.sent ?? null, draft: all[key]?.draft ?? null, failure: null, earlier: notice } };
}

/** Which form is open once `key`'s closes: only `key`'s own closes, never another pool's the operator is filling in. */
export function openAfterClosing(open: string | null, key: string): string | null {
  return open === key ? null : open;
}

/** The operator closed the form (Cancel, Escape): what it said has been read, and what was typed is dropped; the id and what was sent stay. */
export function topUpDismissed(all: TopUps, key: string): TopUps {
  const now = all[key];
  return now && !now.sending ? { ...all, [key]: { ...now, draft: null, failure: null, earlier: null } } : all;
}

/** The form's fields as typed now, kept by the page: the form may close (another pool's opened) before they are sent. */
export function topUpDrafted(all: TopUps, key: string, fields: TopUpFields): TopUps {
  const now = all[key];
  return now ? { ...all, [key]: { ...now, draft: fields } } : all;
}
