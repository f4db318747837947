import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { apiKey, client, onKeyRefused, unwrap } from './api';
import { confirmLeave, href, Link, match, useRouter } from './router';
import { SessionContext, type Role, type Session } from './session';
import { ErrorBox, Skeleton } from './ui/parts';
import { PageErrorBoundary } from './ui/page-error-boundary';
import { checkFailure, keyRefused } from './pages/sign-in/check-failure';
import { KeyRefusedDialog } from './pages/sign-in/KeyRefusedDialog';
import { SignInPage } from './pages/sign-in/SignInPage';
import { ThemeToggle } from './theme/ThemeToggle';

// One chunk per page: the graph library loads with the campaign page only.
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const CampaignPage = lazy(() => import('./pages/campaign/CampaignPage'));
const UserPage = lazy(() => import('./pages/user/UserPage'));
const HeldPage = lazy(() => import('./pages/held/HeldPage'));
const PoolsPage = lazy(() => import('./pages/pools/PoolsPage'));
const EditorRoute = lazy(() => import('./pages/editor/EditorPage'));
const DiffPage = lazy(() => import('./pages/diff/DiffPage'));

const KEY_REFUSED = 'Kairos no longer accepts this key (it answered 401: the key was revoked or replaced). Sign in with a current key.';

/**
 * `typed`: a key being checked from the sign-in page, which stays as it is meanwhile; `key`: one a check could not
 * judge (Kairos did not answer, or answered 5xx or 429), kept in the field for another try.
 * `refused`: Kairos stopped accepting the key while the console was open; the page stays under a sign-in dialog,
 * `rechecking` while a new key is asked about. `signedIn`: when the key in use was accepted (Session.signedIn).
 */
type Who =
  | { state: 'checking'; typed?: string }
  | { state: 'out'; error?: unknown; key?: string }
  | { state: 'in'; role: Role; may: Role[]; signedIn: number; refused?: unknown; rechecking?: boolean };

export function App() {
  const [who, setWho] = useState<Who>(() => (apiKey.get() ? { state: 'checking' } : { state: 'out' }));
  // Each refusal draws a fresh sign-in form: a key Kairos refused is not kept for another try.
  const [refusals, setRefusals] = useState(0);

  const check = useCallback(async (key: string, typed: boolean) => {
    setWho({ state: 'checking', typed: typed ? key : undefined });
    try {
      const me = await unwrap(client(key).GET('/v1/whoami'));
      apiKey.set(key);
      setWho({ state: 'in', role: me.role, may: me.may, signedIn: Date.now() });
    } catch (error) {
      // Only Kairos's own 401 or 403 says the key is bad; a Kairos that is restarting or overloaded, or a sign-in proxy
      // in front of it refusing the request, says nothing about it.
      if (keyRefused(error)) {
        apiKey.clear();
        setRefusals((n) => n + 1);
        setWho({ state: 'out', error });
      } else {
        setWho({ state: 'out', error: checkFailure(error), key });
      }
    }
  }, []);

  // A new key for a page whose key was refused: the page stays mounted throughout (never 'checking', which would unmount it).
  // A key that may do less than the refused one would swap the page for one it may see, dropping what the page holds:
  // refused here, with why (signing out, which asks first, changes the role).
  const resume = useCallback(async (key: string) => {
    setWho((w) => (w.state === 'in' ? { ...w, rechecking: true } : w));
    try {
      const me = await unwrap(client(key).GET('/v1/whoami'));
      const lacking = who.state === 'in' ? who.may.filter((r) => !me.may.includes(r)) : [];
      if (lacking.length > 0) {
        const error = new Error(`This is ${me.role === 'admin' || me.role === 'operator' ? 'an' : 'a'} ${me.role} key; this page was opened with a key that may also act as ${lacking.join(', ')}. Use such a key, or sign out to change role.`);
        setWho((w) => (w.state === 'in' ? { ...w, refused: error, rechecking: false } : w));
        return;
      }
      apiKey.set(key);
      setWho({ state: 'in', role: me.role, may: me.may, signedIn: Date.now() });
    } catch (error) {
      setWho((w) => (w.state === 'in' ? { ...w, refused: checkFailure(error), rechecking: false } : w));
    }
  }, [who]);

  useEffect(() => {
    const key = apiKey.get();
    if (key) void check(key, false);
  }, [check]);

  // A key revoked while the console is open: sign in again, with why, rather than every panel failing on its own
  // under buttons the key may no longer use. Over the page, not instead of it: unmounting it would drop what it
  // holds unsaved (the canvas's draft) without asking.
  useEffect(
    () =>
      onKeyRefused(() => {
        apiKey.clear();
        const refused = new Error(KEY_REFUSED);
        setWho((w) => (w.state === 'in' ? { ...w, refused, rechecking: false } : { state: 'out', error: refused }));
      }),
    [],
  );

  const signOut = useCallback(() => {
    // Signing out unmounts the page: unsaved work asks first, as leaving it by a link does.
    if (!confirmLeave()) return;
    apiKey.clear();
    setWho({ state: 'out' });
  }, []);

  const role = who.state === 'in' ? who.role : null;
  const may = who.state === 'in' ? who.may : null;
  const signedIn = who.state === 'in' ? who.signedIn : 0;
  // The same object while the key is: pages that depend on the session redo their work only for a new key.
  const session = useMemo<Session | null>(() => (role && may ? { role, may, signedIn, signOut } : null), [role, may, signedIn, signOut]);

  if (who.state === 'checking' && who.typed === undefined) return <div className="signin"><Skeleton lines={2} /></div>;
  if (who.state === 'checking') return <SignInPage key={refusals} onKey={() => undefined} typed={who.typed} checking />;
  if (who.state === 'out' || !session) return <SignInPage key={refusals} onKey={(key) => void check(key, true)} error={who.state === 'out' ? who.error : undefined} typed={who.state === 'out' ? who.key : undefined} checking={false} />;
  const refused = who.refused !== undefined;
  return (
    <SessionContext.Provider value={session}>
      <Shell inert={refused} />
      {refused && <KeyRefusedDialog error={who.refused} checking={who.rechecking === true} onKey={(key) => void resume(key)} onSignOut={signOut} />}
    </SessionContext.Provider>
  );
}

/** The pages only an operator sees; a support key asking for one gets the support desk (SupportDeskInstead). */
const OPERATOR_PAGES = new Set(['home', 'campaigns', 'campaign', 'edit', 'diff', 'pools']);

/** `inert` while a sign-in dialog is over it: nothing under the dialog can be reached or clicked. */
function Shell({ inert }: { inert: boolean }) {
  const { location } = useRouter();
  const route = match(location.path);
  return (
    <SessionContext.Consumer>
      {(session) => (
        <div className="shell" inert={inert}>
          <header className="topbar">
            <Link to={href.home()} className="brand">
              Kairos
            </Link>
            <nav aria-label="Pages">
              {session.may.includes('operator') && <NavLink to={href.campaigns()} active={OPERATOR_PAGES.has(route.page) && route.page !== 'pools'} label="Campaigns" />}
              <NavLink to={href.users()} active={route.page === 'users' || (OPERATOR_PAGES.has(route.page) && !session.may.includes('operator'))} label="Support desk" />
              <NavLink to={href.held()} active={route.page === 'held'} label="Held steps" />
              {session.may.includes('operator') && <NavLink to={href.pools()} active={route.page === 'pools'} label="Pools" />}
              <a href="/docs/ui">API docs</a>
            </nav>
            <ThemeToggle />
            <span className="whoami">
              key role: <strong>{session.role}</strong>
              <button type="button" className="link-button" onClick={session.signOut}>
                Sign out
              </button>
            </span>
          </header>
          <main>
            <PageErrorBoundary key={location.path}>
              <Suspense fallback={<Skeleton lines={6} />}>
                <Page route={route} operator={session.may.includes('operator')} role={session.role} />
              </Suspense>
            </PageErrorBoundary>
          </main>
        </div>
      )}
    </SessionContext.Consumer>
  );
}

function NavLink({ to, active, label }: { to: string; active: boolean; label: string }) {
  return (
    <Link to={to} aria-current={active ? 'page' : undefined}>
      {label}
    </Link>
  );
}

function Page({ route, operator, role }: { route: ReturnType<typeof match>; operator: boolean; role: Role }) {
  switch (route.page) {
    case 'home':
      // Each role's first page (CONSOLE.md): support keys cannot read campaigns, so theirs is the support desk.
      return operator ? <CampaignsPage /> : <UserPage id={null} />;
    case 'campaigns':
      // Asked for by name (a bookmark, a link from an operator): say why the desk is shown instead, never silently.
      return operator ? <CampaignsPage /> : <SupportDeskInstead what="Campaigns need" role={role} />;
    case 'campaign':
      return operator ? <CampaignPage campaignKey={route.key} /> : <SupportDeskInstead what="Campaigns need" role={role} />;
    case 'edit':
      return operator ? <EditorRoute campaignKey={route.key} /> : <SupportDeskInstead what="The canvas needs" role={role} />;
    case 'diff':
      return operator ? <DiffPage campaignKey={route.key} /> : <SupportDeskInstead what="Comparing versions needs" role={role} />;
    case 'users':
      return <UserPage id={route.id} />;
    case 'held':
      return <HeldPage />;
    case 'pools':
      return operator ? <PoolsPage /> : <SupportDeskInstead what="Pools need" role={role} />;
    case 'not-found':
      return <ErrorBox error={new Error('No such page in the console.')} />;
  }
}

/** An operator's page asked for with a support key (a bookmark, a link an operator sent): the desk, with why, never a dead end. */
function SupportDeskInstead({ what, role }: { what: string; role: Role }) {
  return (
    <>
      <p className="notice" role="status">
        {what} the operator role; this key has the {role} role, so here is the support desk.
      </p>
      <UserPage id={null} />
    </>
  );
}
