import { useState, type FormEvent } from 'react';

/**
 * The API key field and Sign in: on the sign-in page, and over a page whose key Kairos stopped accepting.
 * The field keeps what was typed through a check, so a check Kairos could not answer is tried again with one press.
 */
export function KeyForm({ onKey, initial, checking }: { onKey: (key: string) => void; initial?: string; checking: boolean }) {
  const [key, setKey] = useState(initial ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim() && !checking) onKey(key.trim());
  };
  return (
    <form onSubmit={submit} className="key-form" aria-busy={checking}>
      <label htmlFor="api-key">API key</label>
      <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
      <button type="submit" className="primary" disabled={checking}>
        Sign in
      </button>
    </form>
  );
}
