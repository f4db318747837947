import { ThemeToggle } from '../../theme/ThemeToggle';
import { ErrorBox } from '../../ui/parts';
import { PageHead } from '../../ui/page-head';
import { KeyForm } from './KeyForm';

/**
 * One field: the key is kept for this browser tab only (sessionStorage), never put in a URL. `typed`: the key
 * in the field when the page opens (one Kairos could not check yet); `checking` while Kairos is asked about it.
 */
export function SignInPage({ onKey, error, typed, checking }: { onKey: (key: string) => void; error?: unknown; typed?: string; checking: boolean }) {
  return (
    <main className="signin">
      <PageHead title="Kairos console">
        <ThemeToggle />
      </PageHead>
      <p>Campaigns as live graphs, and a support desk. Enter an API key with the support, operator or admin role.</p>
      <KeyForm onKey={onKey} initial={typed} checking={checking} />
      <p className="hint">
        The key stays in this tab until you close it. <code>npm start</code> prints development keys. <a href="/docs/ui">API docs</a>
      </p>
      <ErrorBox error={error} />
    </main>
  );
}
