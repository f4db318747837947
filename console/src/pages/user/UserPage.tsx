import { useState, type FormEvent } from 'react';
import { client, KairosApiError, unwrap } from '../../api';
import { href, useRouter } from '../../router';
import { Empty, ErrorBox, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { EventsPanel, EVENTS_PAGE } from './EventsPanel';
import { JourneyCard } from './JourneyCard';
import { RewardsPanel } from './RewardsPanel';
import { ledgerReachOf } from './trace-words';
import { lookedUpId, spacesHint } from './user-lookup';
import { PanelHead } from './panel-head';
import { PageHead } from '../../ui/page-head';

/** The support desk: find a user, see why they got (or did not get) a reward, take it back. */
export default function UserPage({ id }: { id: string | null }) {
  const { navigate } = useRouter();
  const [query, setQuery] = useState(id ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // As typed: Kairos does not trim user ids, so ` u-42` is another user than `u-42`.
    const target = lookedUpId(query);
    if (target !== null) navigate(href.user(target));
  };
  const hint = spacesHint(query);
  return (
    <section>
      <PageHead title="Support desk">
        <form onSubmit={submit} className="row" role="search">
          <label htmlFor="user-id">User id</label>
          <input id="user-id" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. u-42" aria-describedby={hint ? 'user-id-hint' : undefined} />
          <button type="submit" className="primary">
            Look up
          </button>
        </form>
      </PageHead>
      {hint && (
        <p id="user-id-hint" className="small muted" data-testid="user-id-hint">
          {hint}
        </p>
      )}
      {id ? <UserView key={id} id={id} /> : <Empty>Enter a user id to see their profile, journeys, rewards and events.</Empty>}
    </section>
  );
}

const REFRESH_MS = 5000;
/** Rewards listed on the desk: a user with tens of thousands would otherwise take seconds to load, every refresh. */
const REWARDS_SHOWN = 200;

/** A list once answered; empty once it failed (the cards go on without it); undefined until then. */
const readOrFailed = <T,>(loaded: { error: unknown }, list: T[] | undefined): T[] | undefined => list ?? (loaded.error ? [] : undefined);

function UserView({ id }: { id: string }) {
  const profile = useApi(async () => {
    try {
      return await unwrap(client().GET('/v1/users/{id}', { params: { path: { id } } }));
    } catch (e) {
      // A user known only from events has no profile: not an error for the desk.
      if (e instanceof KairosApiError && e.status === 404) return null;
      throw e;
    }
  }, [id]);
  const journeys = useApi(() => unwrap(client().GET('/v1/users/{id}/journeys', { params: { path: { id } } })), [id], REFRESH_MS);
  const rewards = useApi(() => unwrap(client().GET('/v1/users/{id}/rewards', { params: { path: { id }, query: { limit: REWARDS_SHOWN } } })), [id], REFRESH_MS);
  // The newest events: listed with Cancel, and read by the journeys' traces to say which were cancelled.
  const events = useApi(() => unwrap(client().GET('/v1/users/{id}/events', { params: { path: { id }, query: { limit: EVENTS_PAGE } } })), [id], 10_000);
  const reloadAll = () => {
    journeys.reload();
    rewards.reload();
    events.reload();
  };
  return (
    <div className="user-grid">
      <div className="panel">
        <h2>Profile</h2>
        <ErrorBox error={profile.error} />
        {profile.data === undefined && !profile.error && <Skeleton lines={2} />}
        {profile.data === null && <p className="muted">No profile stored for {id} (PUT /v1/users/{'{id}'} sets one).</p>}
        {profile.data && (
          <>
            <p>
              <strong className="mono">{profile.data.id}</strong> <span className="muted">since {when(profile.data.createdAt)}</span>
            </p>
            <dl className="attrs">
              {Object.entries(profile.data.attributes).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd className="mono">{JSON.stringify(v)}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </div>
      <RewardsPanel loaded={rewards} />
      <div className="panel wide">
        <PanelHead title="Journeys" at={journeys.at} />
        <ErrorBox error={journeys.error} />
        {!journeys.data && !journeys.error && <Skeleton lines={3} />}
        {journeys.data && journeys.data.journeys.length === 0 && <p className="muted">{id} has not entered any campaign.</p>}
        {journeys.data?.truncated && <p className="muted">The first {journeys.data.journeys.length} journeys found: there may be more. The Temporal UI lists every one (search by UserId).</p>}
        {journeys.data &&
          [...journeys.data.journeys].reverse().map((j) => (
            <JourneyCard
              key={j.workflowId}
              journey={j}
              userId={id}
              ledger={readOrFailed(rewards, rewards.data?.rewards)}
              ledgerReach={ledgerReachOf(rewards.data, rewards.error !== null)}
              events={readOrFailed(events, events.data?.events)}
            />
          ))}
      </div>
      <EventsPanel userId={id} first={events} ledger={rewards.data} ledgerFailed={rewards.data === undefined && rewards.error !== null} onCancelled={reloadAll} />
    </div>
  );
}
