import { useEffect, useState } from 'react';
import { client, unwrap } from '../../api';
import { href, Link, replaceUrl, useRouter } from '../../router';
import { amount } from '../../ui/numbers';
import { Badge, Empty, ErrorBox, since, Skeleton, when } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { PageHead } from '../../ui/page-head';

const REFRESH_MS = 5000;

export const statusTone = (status: string) => (status === 'active' ? 'ok' : status === 'paused' ? 'held' : status === 'archived' ? 'ended' : 'neutral');

/** Every campaign with its status, entries and journeys there now: one request, however many campaigns there are. */
async function loadCampaigns() {
  const { campaigns } = await unwrap(client().GET('/v1/campaigns', { params: { query: { counts: true } } }));
  return campaigns.map((c) => ({ ...c, entered: c.counts?.entered ?? 0, current: c.counts?.current ?? 0, running: c.counts?.running ?? null }));
}

/** Temporal's own count, idle journeys included, for whoever wants it beside the one shown. */
const runningTitle = (running: number | null) =>
  running === null ? 'Temporal did not answer in time for its count of running journeys' : `${amount(running)} running in Temporal, journeys waiting idle for a next entry included`;

export default function CampaignsPage() {
  const { data, error, at } = useApi(loadCampaigns, [], REFRESH_MS);
  const { location } = useRouter();
  // In the address (?q=), so a reload or a shared link keeps the filter.
  const [filter, setFilterState] = useState(() => location.search.get('q') ?? '');
  const setFilter = (q: string) => {
    setFilterState(q);
    replaceUrl(`${window.location.pathname}${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  };
  // A navigation to this page (the top bar's link, Back) brings its own filter: the page follows its address.
  useEffect(() => setFilterState(location.search.get('q') ?? ''), [location]);
  const shown = data?.filter((c) => `${c.key} ${c.name} ${c.status}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section>
      <PageHead title="Campaigns">
        <Link to={href.newCampaign()} className="button primary">
          New campaign
        </Link>
        <input aria-label="Filter campaigns" placeholder="Filter by key, name or status" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="muted">{since(at)}</span>
      </PageHead>
      <ErrorBox error={error} />
      {!data && !error && <Skeleton lines={5} />}
      {data && data.length === 0 && (
        <Empty>
          No campaigns yet. <Link to={href.newCampaign()}>Create one</Link> in the canvas, blank or from a template; or send it as code (
          <code>kairos campaigns apply</code>, <code>POST /v1/campaigns</code>), or run <code>npm run demo</code> for examples.
        </Empty>
      )}
      {data && data.length > 0 && shown?.length === 0 && (
        <Empty>
          No campaign matches “{filter}” in its key, name or status.{' '}
          <button type="button" className="link-button" onClick={() => setFilter('')}>
            Clear the filter
          </button>
        </Empty>
      )}
      {shown && shown.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Active version</th>
              <th scope="col" className="num" title="Entries into the campaign, all versions, re-entries included">
                Entered
              </th>
              <th scope="col" className="num" title="Journeys in one of the campaign's states now (as the funnel's now counts: not those waiting idle for a next entry, nor those never entered)">
                There now
              </th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.key}>
                <td>
                  <Link to={href.campaign(c.key)}>
                    <strong>{c.name}</strong>
                  </Link>
                  <div className="muted mono">{c.key}</div>
                </td>
                <td>
                  <Badge tone={statusTone(c.status)}>{c.status}</Badge>
                </td>
                <td>{c.activeVersion === null ? `none (latest ${c.latestVersion})` : `v${c.activeVersion} of ${c.latestVersion}`}</td>
                <td className="num" data-testid={`entered-${c.key}`}>
                  {amount(c.entered)}
                </td>
                <td className="num" data-testid={`now-${c.key}`} title={runningTitle(c.running)}>
                  {amount(c.current)}
                </td>
                <td>{when(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
