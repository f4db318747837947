/** Whether a stream subject (with `*` and `>` wildcards) takes every subject `wanted` can be; `wanted` may hold wildcards too. */
export function subjectCovers(streamSubject: string, wanted: string): boolean {
  const s = streamSubject.split('.');
  const w = wanted.split('.');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '>') return i < w.length;
    if (i >= w.length) return false;
    if (w[i] === '>') return false;
    if (s[i] !== '*' && s[i] !== w[i]) return false;
  }
  return s.length === w.length;
}

/**
 * Whether a message is a dead letter this source published: on
 * `<a subject it consumes>.dlq` (which a `>` subject also takes), with the
 * reason header Kairos writes. Acked and skipped. A business message on a
 * subject that happens to end in `.dlq` has no such header and is consumed.
 * A source on a dead-letter subject itself (replaying them after a mapping
 * fix) consumes what is there.
 */
export function isOwnDeadLetter(sourceSubject: string, subject: string, hasReason: boolean): boolean {
  return hasReason && subject.endsWith('.dlq') && subjectCovers(sourceSubject, subject.slice(0, -'.dlq'.length));
}

/**
 * What a NATS source does with a message its durable handed out: `consume`
 * it (map and store), `skip` it (acknowledged: a dead letter it published
 * itself, isOwnDeadLetter), or `hand-back` (a nak) one on a subject its own
 * `subject` does not take. The durable's filter is shared state on the
 * server, set by whichever instance connected last: after a change of the
 * source's `subject`, an instance still on the old version pulls from a
 * durable filtered for the new one (or the reverse), and would store those
 * messages with its own mapping, as wrong events for good. Handed back, they
 * go to an instance whose version consumes them.
 */
export type NatsMessageFate = 'consume' | 'skip' | 'hand-back';

export function natsMessageFate(sourceSubject: string, subject: string, hasReason: boolean): NatsMessageFate {
  // First: a dead letter of a subject another version consumes (`orders.paid.dlq` for a replay source) is that one's input.
  if (!subjectCovers(sourceSubject, subject)) return 'hand-back';
  return isOwnDeadLetter(sourceSubject, subject, hasReason) ? 'skip' : 'consume';
}
