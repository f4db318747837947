import { ErrorBox } from '../../ui/parts';
import { KeyForm } from './KeyForm';

/**
 * Kairos stopped accepting the key (a 401: revoked or replaced) while a page
 * was open. The page stays mounted under this dialog, inert, so what it
 * holds (an unsaved draft in the canvas) is not lost: a current key carries
 * on where it was. Signing out instead leaves the page, asking first when
 * it holds unsaved work.
 */
export function KeyRefusedDialog({ error, checking, onKey, onSignOut }: { error: unknown; checking: boolean; onKey: (key: string) => void; onSignOut: () => void }) {
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="key-refused-title" aria-describedby="key-refused-why" aria-busy={checking}>
        <h2 id="key-refused-title">Sign in again</h2>
        <ErrorBox error={error} />
        <p id="key-refused-why">The page stays as it is under this box, with anything not saved yet. Sign in with a current key to carry on where you were.</p>
        <KeyForm onKey={onKey} checking={checking} />
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out instead
        </button>
      </div>
    </div>
  );
}
