import { useRef, useState } from 'react';
import { client, unwrap } from '../../api';
import { amount } from '../../ui/numbers';
import { ErrorBox } from '../../ui/parts';
import { duration, INTERVAL_PERIODS, intervalCountWords, periodSince, type IntervalPeriod } from './interval-choices';
import { intervalPickers } from './interval-pickers';

/** Pick two states and a period, get p50/p90/p99 of the time from the first to the second. */
export function IntervalsPanel({ campaignKey, version, nodes }: { campaignKey: string; version: number | null; nodes: ReadonlyArray<{ id: string; kind: string; initial: boolean }> }) {
  // From: states a path leaves only (not an end state nor (exited): the API refuses those, a path never moves on).
  const pickers = intervalPickers(nodes);
  const [from, setFrom] = useState(pickers.start.from);
  const [to, setTo] = useState(pickers.start.to);
  // Over all time the answer costs what the whole log holds; a period asks about recent moves only.
  const [period, setPeriod] = useState<IntervalPeriod>('all');
  // The figures carry the pair, period (and version) they were measured for, so a changed picker never shows another pair's numbers.
  const [result, setResult] = useState<{ from: string; to: string; period: IntervalPeriod; version: number | null; count: number; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null } | null>(null);
  const shown = result && result.from === from && result.to === to && result.period === period && result.version === version ? result : null;
  const counted = shown ? intervalCountWords(shown.from, shown.to) : null;
  const [error, setError] = useState<unknown>(null);
  const [measuring, setMeasuring] = useState(false);
  // The last Measure wins: answers come back in any order, and an earlier one (another pair, or older figures)
  // landing last would replace the figures asked for after it, or blank them, or say its failure over them.
  const lastAsked = useRef(0);
  const measure = async () => {
    const mine = ++lastAsked.current;
    setError(null);
    setMeasuring(true);
    try {
      const since = periodSince(period, Date.now());
      const query = { from, to, ...(version !== null ? { version } : {}), ...(since ? { since } : {}) };
      const figures = await unwrap(client().GET('/v1/campaigns/{key}/intervals', { params: { path: { key: campaignKey }, query } }));
      if (mine === lastAsked.current) setResult({ from, to, period, version, ...figures });
    } catch (e) {
      if (mine === lastAsked.current) setError(e);
    } finally {
      if (mine === lastAsked.current) setMeasuring(false);
    }
  };
  return (
    <div className="panel intervals" aria-busy={measuring}>
      <h2>Intervals</h2>
      <div className="row">
        <label>
          From{' '}
          <select aria-label="Interval from state" title={from} value={from} onChange={(e) => setFrom(e.target.value)}>
            {pickers.from.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select aria-label="Interval to state" title={to} value={to} onChange={(e) => setTo(e.target.value)}>
            {pickers.to.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          over{' '}
          <select aria-label="Interval period" value={period} onChange={(e) => setPeriod(e.target.value as IntervalPeriod)}>
            {INTERVAL_PERIODS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={pickers.from.length === 0} onClick={() => void measure()}>
          Measure
        </button>
      </div>
      {pickers.from.length === 0 && <p className="muted small">Every state of this version is an end state: no path leaves one, so there is no interval to time.</p>}
      {shown && (
        <dl className="stats" aria-live="polite" aria-label={`From ${shown.from} to ${shown.to}${shown.version !== null ? `, v${shown.version}` : ''}, ${INTERVAL_PERIODS.find((p) => p.id === shown.period)?.label ?? ''}`}>
          <dt title={counted?.title}>{counted?.label}</dt>
          <dd data-testid="interval-count">{amount(shown.count)}</dd>
          <dt>p50</dt>
          <dd>{duration(shown.p50Ms)}</dd>
          <dt>p90</dt>
          <dd>{duration(shown.p90Ms)}</dd>
          <dt>p99</dt>
          <dd>{duration(shown.p99Ms)}</dd>
        </dl>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
