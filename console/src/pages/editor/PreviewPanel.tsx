import { useState } from 'react';
import { client, unwrap } from '../../api';
import { ErrorBox } from '../../ui/parts';

type Preview = Awaited<ReturnType<typeof runPreview>>;

function runPreview(key: string, userId: string, type: string, properties: Record<string, unknown>) {
  return unwrap(client().POST('/v1/campaigns/{key}/preview', { params: { path: { key } }, body: { userId, event: { type, properties } } }));
}

/** What one event would do for one user now, with nothing issued (the active version, or the user's running journey). */
export function PreviewPanel({ campaignKey, onResult }: { campaignKey: string; onResult: (transitions: Array<{ from: string | null; to: string }>) => void }) {
  const [userId, setUserId] = useState('preview-user');
  const [type, setType] = useState('order.completed');
  const [props, setProps] = useState('{"amount": 25}');
  const [result, setResult] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setError(null);
    try {
      const out = await runPreview(campaignKey, userId, type, JSON.parse(props || '{}') as Record<string, unknown>);
      setResult(out);
      onResult(out.transitions);
    } catch (e) {
      setResult(null);
      onResult([]);
      setError(e);
    }
  };
  return (
    <div className="panel" role="region" aria-label="Preview">
      <h2>Preview</h2>
      <label className="field">
        User
        <input aria-label="Preview user" value={userId} onChange={(e) => setUserId(e.target.value)} />
      </label>
      <label className="field">
        Event type
        <input aria-label="Preview event type" value={type} onChange={(e) => setType(e.target.value)} />
      </label>
      <label className="field">
        Properties (JSON)
        <input aria-label="Preview properties" value={props} onChange={(e) => setProps(e.target.value)} />
      </label>
      <button type="button" onClick={() => void run()}>
        Preview
      </button>
      <ErrorBox error={error} />
      {result && (
        <div data-testid="preview-result" className="small">
          <p>
            v{result.version}, {result.basedOn === 'journey' ? 'running journey' : 'new journey'}: {result.entered ? 'enters' : 'does not enter'}
            {result.refusedBecause ? ` (${result.refusedBecause})` : ''}
          </p>
          <ul className="plain">
            {result.transitions.map((t, i) => (
              <li key={i}>
                {t.from ?? 'entry'} → <b>{t.to}</b> <span className="muted">({t.cause})</span>
              </li>
            ))}
            {result.rewards.map((r) => (
              <li key={r.stepId}>reward {JSON.stringify(r.action)}</li>
            ))}
            {result.messages.map((m) => (
              <li key={m.stepId}>message {JSON.stringify(m.action)}</li>
            ))}
            {result.notes.map((n) => (
              <li key={n} className="muted">
                {n}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
