import { useState, type FormEvent } from 'react';

/** The API key field and Sign in: on the sign-in page, and over a page whose key Kairos stopped accepting. */
export function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <form onSubmit={submit} className="key-form">
      <label htmlFor="api-key">API key</label>
      <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
      <button type="submit" className="primary">
        Sign in
      </button>
    </form>
  );
}
