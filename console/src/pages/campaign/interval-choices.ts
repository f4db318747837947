import { amount } from '../../ui/numbers';

/**
 * The states the intervals panel offers, the initial state first and end
 * states last, and the pair it starts on: from the initial state to the
 * first end state (the question most asked: how long until done), rather
 * than whichever two states the graph lists first.
 */
export function intervalChoices(nodes: ReadonlyArray<{ id: string; kind: string; initial: boolean }>): { states: string[]; from: string; to: string } {
  const states = nodes.filter((n) => n.kind !== 'entry');
  const ordered = [...states.filter((n) => n.initial), ...states.filter((n) => !n.initial && n.kind !== 'end'), ...states.filter((n) => !n.initial && n.kind === 'end')].map((n) => n.id);
  const firstEnd = states.find((n) => n.kind === 'end' && !n.initial)?.id;
  return { states: ordered, from: ordered[0] ?? '', to: firstEnd ?? ordered[1] ?? ordered[0] ?? '' };
}

/** The periods the intervals panel measures over: moves that arrived in `from` within the last so long. */
export const INTERVAL_PERIODS = [
  { id: 'all', label: 'all time', days: null },
  { id: '1d', label: 'last 24 hours', days: 1 },
  { id: '7d', label: 'last 7 days', days: 7 },
  { id: '30d', label: 'last 30 days', days: 30 },
  { id: '90d', label: 'last 90 days', days: 90 },
] as const;
export type IntervalPeriod = (typeof INTERVAL_PERIODS)[number]['id'];

/** The `since` a period asks for (an instant, as the API takes it), none for all time. */
export function periodSince(period: IntervalPeriod, now: number): string | undefined {
  const days = INTERVAL_PERIODS.find((p) => p.id === period)?.days ?? null;
  return days === null ? undefined : new Date(now - days * 86_400_000).toISOString();
}

/**
 * What the intervals' `count` counts, said beside it: arrivals in `to` that
 * followed an arrival in `from` by the same path of the journey, each timed
 * from the path's latest visit to `from` (the API's definition; rows logged
 * before paths were pair within the journey). Not journeys: a path that
 * loops through both states, or the time between visits (`from` = `to`),
 * counts each time round; a path that returns to `to` without passing
 * `from` again is not counted again (each arrival in `from` pairs with at
 * most the first later arrival in `to`).
 */
export function intervalCountWords(from: string, to: string): { label: string; title: string } {
  const title =
    from === to
      ? `Returns to ${to}: each arrival there after an earlier one by the same path of the journey`
      : `Arrivals in ${to} that followed an arrival in ${from} by the same path of the journey, each timed from its latest visit to ${from}; a path that returns to ${to} without passing ${from} again is not counted again`;
  return { label: 'arrivals timed', title };
}

/**
 * A p50/p90/p99 figure in the unit that reads best (ms, s, min, h, days),
 * to one decimal, written as the reader's locale writes numbers (amount:
 * "2,5 min" in German, "1,234.5 days" grouped), as every other number on
 * the page; '—' for none (no interval measured).
 */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${amount(Math.round(ms))} ms`;
  const tenth = (n: number) => amount(Math.round(n * 10) / 10);
  const s = ms / 1000;
  if (s < 120) return `${tenth(s)} s`;
  const m = s / 60;
  if (m < 120) return `${tenth(m)} min`;
  const h = m / 60;
  return h < 48 ? `${tenth(h)} h` : `${tenth(h / 24)} days`;
}
