import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { apiKey, client, onKeyRefused, unwrap } from './api';
import { href, Link, match, useRouter } from './router';
import { SessionContext, type Role, type Session } from './session';
import { ErrorBox, Skeleton } from './ui/parts';
import { PageErrorBoundary } from './ui/page-error-boundary';
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

type Who = { state: 'checking' } | { state: 'out'; error?: unknown } | { state: 'in'; role: Role; may: Role[] };

export function App() {
  const [who, setWho] = useState<Who>(() => (apiKey.get() ? { state: 'checking' } : { state: 'out' }));

  const check = useCallback(async (key: string) => {
    setWho({ state: 'checking' });
    try {
      const me = await unwrap(client(key).GET('/v1/whoami'));
      apiKey.set(key);
      setWho({ state: 'in', role: me.role, may: me.may });
    } catch (error) {
      apiKey.clear();
      setWho({ state: 'out', error });
    }
  }, []);

  useEffect(() => {
    const key = apiKey.get();
    if (key) void check(key);
  }, [check]);

  // A key revoked while the console is open: back to sign-in with why, rather than every panel failing on its own
  // under buttons the key may no longer use.
  useEffect(
    () =>
      onKeyRefused(() => {
        apiKey.clear();
        setWho({ state: 'out', error: new Error(KEY_REFUSED) });
      }),
    [],
  );

  const signOut = useCallback(() => {
    apiKey.clear();
    setWho({ state: 'out' });
  }, []);

  if (who.state === 'checking') return <div className="signin"><Skeleton lines={2} /></div>;
  if (who.state === 'out') return <SignInPage onKey={(key) => void check(key)} error={who.error} />;
  const session: Session = { role: who.role, may: who.may, signOut };
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}

/** The pages only an operator sees; a support key asking for one gets the support desk (SupportDeskInstead). */
const OPERATOR_PAGES = new Set(['home', 'campaigns', 'campaign', 'edit', 'diff', 'pools']);

function Shell() {
  const { location } = useRouter();
  const route = match(location.path);
  return (
    <SessionContext.Consumer>
      {(session) => (
        <div className="shell">
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
