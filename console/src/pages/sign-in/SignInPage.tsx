import { useState, type FormEvent } from 'react';
import { ThemeToggle } from '../../theme/ThemeToggle';
import { ErrorBox } from '../../ui/parts';
import { PageHead } from '../../ui/page-head';

/** One field: the key is kept for this browser tab only (sessionStorage), never put in a URL. */
export function SignInPage({ onKey, error }: { onKey: (key: string) => void; error?: unknown }) {
  const [key, setKey] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <main className="signin">
      <PageHead title="Kairos console">
        <ThemeToggle />
      </PageHead>
      <p>Campaigns as live graphs, and a support desk. Enter an API key with the support, operator or admin role.</p>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
      <p className="hint">
        The key stays in this tab until you close it. <code>npm start</code> prints development keys. <a href="/docs/ui">API docs</a>
      </p>
      <ErrorBox error={error} />
    </main>
  );
}
