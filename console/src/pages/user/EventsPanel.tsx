import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { paths } from '../../../../clients/ts/src/schema';
import { client, KairosApiError, unwrap } from '../../api';
import { Badge, ErrorBox, Skeleton, when } from '../../ui/parts';
import { useApi, type Loaded } from '../../ui/use-api';
import { cancelAnswerWords, cancelBadge, cancelCheck, foundCancelledWords, mayBeStored, notStoredWords, type CancelCheck, type CancelWords } from './cancel-answer';
import { afterOlderPage, carry, listedEvents } from './event-pages';
import { PanelHead } from './panel-head';
import { EVENT_REWARDS_ASKED, eventReclaimProgress, eventRewardsSource, ledgerHint, reclaimRefreshMs } from './event-rewards';

type UserEvents = paths['/v1/users/{id}/events']['get']['responses'][200]['content']['application/json'];
type UserEvent = UserEvents['events'][number];
type EventDetail = paths['/v1/events/{id}']['get']['responses'][200]['content']['application/json'];
type UserRewards = paths['/v1/users/{id}/rewards']['get']['responses'][200]['content']['application/json'];

/** Events asked for at a time. */
export const EVENTS_PAGE = 20;

/**
 * The user's events, newest first, each with Cancel (support): asks for a
 * reason, then shows what came back (the reason Kairos kept, and whether the
 * event was cancelled already). `first` is the newest page, loaded by
 * the desk (the journeys' traces read it too); older pages load here.
 */
export function EventsPanel({
  userId,
  first,
  ledger,
  ledgerFailed,
  onCancelled,
}: {
  userId: string;
  first: Loaded<UserEvents>;
  ledger: UserRewards | undefined;
  /** The desk's rewards list failed and none is shown: a cancelled event's row cannot say what it took back. */
  ledgerFailed: boolean;
  onCancelled: () => void;
}) {
  const [older, setOlder] = useState<UserEvent[]>([]);
  // Every event the newest page has listed since the desk opened: one a new event pushes out of it stays listed, and
  // with its row whatever support has under way there (an open Cancel form and its reason, a cancel on its way, what
  // came back). Not only once older pages are loaded: the newest page alone refreshes under the reader too.
  const [carried, setCarried] = useState<UserEvent[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  // The last "Load older" failure, cleared by the next try: a box left above a list that loaded fine would say it failed.
  const [error, setError] = useState<unknown>(null);
  // While an older page is on its way: a second click must not ask for the same page again. The ref holds before
  // React has drawn the disabled button (two clicks in one frame).
  const [loadingOlder, setLoadingOlder] = useState(false);
  const olderInFlight = useRef(false);
  const cursor = next === undefined ? first.data?.next ?? null : next;
  const newest = first.data?.events;
  const newestRef = useRef(newest);
  newestRef.current = newest;
  useEffect(() => {
    if (newest) setCarried((c) => carry(c, newest));
  }, [newest]);
  const loadOlder = async () => {
    if (!cursor || olderInFlight.current) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    setError(null);
    // The newest page the cursor came from: a refresh landing before the older page may push its last event out of it.
    const newestAtClick = newest ?? [];
    try {
      const page = await unwrap(client().GET('/v1/users/{id}/events', { params: { path: { id: userId }, query: { limit: EVENTS_PAGE, cursor } } }));
      setCarried((c) => afterOlderPage(c, newestAtClick, newestRef.current ?? []));
      setOlder((o) => [...o, ...page.events]);
      setNext(page.next);
    } catch (e) {
      setError(e);
    } finally {
      olderInFlight.current = false;
      setLoadingOlder(false);
    }
  };
  const events = listedEvents(newest ?? [], carried, older);
  return (
    <div className="panel wide">
      <PanelHead title="Recent events" at={first.at} />
      <ErrorBox error={first.error ?? error} />
      {!first.data && !first.error && <Skeleton lines={4} />}
      {first.data && events.length === 0 && <p className="muted">No events from {userId}.</p>}
      {events.length > 0 && (
        <ul className="events">
          {events.map((e) => (
            <EventRow key={e.id} event={e} userId={userId} ledger={ledger} ledgerFailed={ledgerFailed} onCancelled={onCancelled} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder} aria-busy={loadingOlder}>
          {loadingOlder ? 'Loading older events…' : 'Load older events'}
        </button>
      )}
    </div>
  );
}

/**
 * One event, with Cancel. The reason form replaces the button while open;
 * Escape or Keep it closes it and gives focus back to the button, and once
 * the cancel is sent focus goes to the row's "cancelled" status, so a
 * keyboard user is never dropped to the top of the page. A failure that may
 * have come after the cancel was stored (a 503) is settled by reading the
 * event again: "cancelled" only when Kairos lists its cancellation.
 */
function EventRow({ event, userId, ledger, ledgerFailed, onCancelled }: { event: UserEvent; userId: string; ledger: UserRewards | undefined; ledgerFailed: boolean; onCancelled: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  // After a failure that may have stored the cancel: the event, read again, says it was not (or could not say).
  const [notStored, setNotStored] = useState<Extract<CancelCheck, { stored: false }> | null>(null);
  // While the cancel is on its way: a second click must not send a second cancel. The ref holds even
  // before React has drawn the disabled button (two clicks in one frame).
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);
  // Cancels sent from this row: a read made as the form opened, answering after one of them started, may have read
  // this row's own cancel, so it says nothing of someone else's (the cancel's own answer tells).
  const submits = useRef(0);
  const [watching, setWatching] = useState(event.cancelledAt !== null);
  // Cancelled elsewhere (another desk, the CLI): show what it took back once the list says so.
  useEffect(() => {
    if (event.cancelledAt !== null) setWatching(true);
  }, [event.cancelledAt]);
  // What Kairos said of this row's cancel (its answer, or the event read again): shown at once, before the refreshed
  // list says the event is cancelled. Its reason is the one Kairos kept, never the one typed: a cancel someone else
  // made first keeps theirs, and the note says so.
  const [kept, setKept] = useState<CancelWords | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const status = useRef<HTMLSpanElement>(null);
  // Where focus goes once the form is gone: the element exists only after the next render.
  const [focusTo, setFocusTo] = useState<'opener' | 'status' | null>(null);
  useEffect(() => {
    if (focusTo === null) return;
    (focusTo === 'opener' ? opener : status).current?.focus();
    setFocusTo(null);
  }, [focusTo]);
  const close = () => {
    setAsking(false);
    setFocusTo('opener');
  };
  const shown = (words: CancelWords) => {
    setKept(words);
    setAsking(false);
    setFocusTo('status');
    setWatching(true);
    onCancelled();
  };
  // The list this row came from may be old (older pages are never read again): the event, read as the form opens,
  // says whether someone (another desk, the CLI) cancelled it meanwhile, so support does not cancel it "again" for a
  // reason of their own. A read that fails says nothing: the cancel's answer still tells. Nor does one that answers
  // after a cancel was sent from this row (a slow read, the pool busy): it may list that very cancel, and saying
  // "nothing was sent" over the cancel's own answer would be false.
  const open = () => {
    setAsking(true);
    const sentBefore = submits.current;
    void unwrap(client().GET('/v1/events/{id}', { params: { path: { id: event.id } } })).then(
      (detail) => {
        if (detail.cancellation && submits.current === sentBefore) shown(foundCancelledWords(detail.cancellation, when));
      },
      () => undefined,
    );
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    submits.current++;
    setSending(true);
    setError(null);
    setNotStored(null);
    try {
      const answer = await unwrap(client().POST('/v1/events/{id}/cancel', { params: { path: { id: event.id } }, body: { reason } }));
      shown(cancelAnswerWords(answer, when));
    } catch (err) {
      setError(err);
      // A 503 is sent both after the cancel was stored (Kairos finishes it once Temporal or PostgreSQL answers) and when
      // nothing was (PostgreSQL away while storing it, a proxy): the status does not say which, so the event is read
      // again. Only a cancellation Kairos lists makes the row say "cancelled" (with the API's words beside it);
      // otherwise the form stays, reason filled in, and sending it again is safe: cancelling twice is one cancel.
      if (mayBeStored(err)) {
        const check = cancelCheck(
          await unwrap(client().GET('/v1/events/{id}', { params: { path: { id: event.id } } })).then(
            (detail) => ({ ok: true as const, cancellation: detail.cancellation }),
            () => ({ ok: false as const }),
          ),
        );
        if (check.stored) shown({ badge: cancelBadge(check.reason), note: null });
        else setNotStored(check);
      }
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };
  const cancelled = event.cancelledAt !== null || kept !== null;
  const badge = event.cancelledAt !== null ? cancelBadge(event.cancelReason) : kept?.badge;
  const properties = JSON.stringify(event.properties);
  return (
    <li className="event" data-testid={`event-${event.id}`}>
      <div className="event-line">
        <span className="mono">{event.type}</span>
        <span className="mono muted small">{event.id}</span>
        <span className="small">{when(event.occurredAt)}</span>
        {/* One line to glance at; the whole, wrapped, under "properties" below (an order or refund id to check before a cancel). */}
        <span className="mono small props" title={properties}>
          {properties}
        </span>
        {cancelled ? (
          <span ref={status} tabIndex={-1} data-testid="cancel-status">
            <Badge tone="ended">{badge}</Badge>
          </span>
        ) : (
          !asking && (
            <button ref={opener} type="button" onClick={open} aria-label={`Cancel event ${event.id}`}>
              Cancel…
            </button>
          )
        )}
      </div>
      {Object.keys(event.properties ?? {}).length > 0 && (
        <details className="props-whole">
          <summary aria-label={`Properties of event ${event.id}`}>properties</summary>
          <pre className="mono small">{JSON.stringify(event.properties, null, 2)}</pre>
        </details>
      )}
      {kept?.note && (
        <p className="notice" role="status" data-testid="cancel-already">
          {kept.note}
        </p>
      )}
      {asking && (
        <form
          className="row"
          aria-label={`Cancelling ${event.id}`}
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            close();
          }}
        >
          <label htmlFor={`reason-${event.id}`}>Reason</label>
          <input id={`reason-${event.id}`} value={reason} onChange={(e) => setReason(e.target.value)} required pattern=".*\S.*" title="Say why: a reason of only spaces says nothing" placeholder="e.g. refund 7781" autoFocus />
          <button type="submit" className="danger" disabled={sending}>
            {sending ? 'Cancelling…' : 'Cancel event'}
          </button>
          <button type="button" onClick={close}>
            Keep it
          </button>
        </form>
      )}
      <ErrorBox error={error} />
      {notStored && !cancelled && (
        <p className="notice" role="status" data-testid="cancel-not-stored">
          {notStoredWords(notStored)}
        </p>
      )}
      {watching && <Reclaimed eventId={event.id} userId={userId} ledger={ledger} ledgerFailed={ledgerFailed} />}
    </li>
  );
}

/**
 * Asks `loaded` again `ms` after its last answer that worked (none when
 * `ms` is undefined); while the tab is hidden, once it shows again.
 */
function useAgainAfter(loaded: Loaded<unknown>, ms: number | undefined) {
  const { at, reload } = loaded;
  useEffect(() => {
    if (ms === undefined || at === null) return;
    let onShown: (() => void) | undefined;
    const timer = setTimeout(() => {
      if (!document.hidden) return reload();
      onShown = () => {
        if (document.hidden || !onShown) return;
        document.removeEventListener('visibilitychange', onShown);
        onShown = undefined;
        reload();
      };
      document.addEventListener('visibilitychange', onShown);
    }, ms);
    return () => {
      clearTimeout(timer);
      if (onShown) document.removeEventListener('visibilitychange', onShown);
    };
  }, [ms, at, reload]);
}

/**
 * What the cancel took back. Reclaiming runs in the journeys, each on its
 * own schedule, so this refreshes until none of the rewards the event caused
 * is still held (reclaim-progress.ts), not only until the first reclaim
 * shows: the others would never show. Those rewards come from the desk's
 * list when it holds every reward of the user, and otherwise from the
 * ledger, asked for the event's own (event-rewards.ts); until the desk's
 * list is read, it waits. When none ever was (or another cancel took it
 * back), there is nothing to wait for, and it says so.
 */
function Reclaimed({ eventId, userId, ledger, ledgerFailed }: { eventId: string; userId: string; ledger: UserRewards | undefined; ledgerFailed: boolean }) {
  // 'last-read': the rewards say nothing is held any more, but the event's list may have been read before the last
  // reclaim: one more read, begun after that, lists it; then 'done', and the row stops asking. Also 'done' at once when the
  // event caused more rewards than one answer lists: no later read could say it is over, so asking again would never end.
  const [phase, setPhase] = useState<'watching' | 'last-read' | 'done'>('watching');
  const readBefore = useRef<Date | null>(null);
  // An event Kairos no longer has (retention pruned it) will not come back: asking again every 1.5 s would go on for ever.
  const [gone, setGone] = useState(false);
  const source = eventRewardsSource(ledger);
  const asking = source === 'ledger';
  // Both reads are one-off loads (a failed one is asked again as those are: backing off, as a Retry-After says, never after
  // a 4xx); the row asks again every 1.5 s only after reads that worked, and once the desk's list has come (event-rewards.ts).
  const detail = useApi<EventDetail>(() => unwrap(client().GET('/v1/events/{id}', { params: { path: { id: eventId } } })), [eventId]);
  useEffect(() => {
    if (detail.error instanceof KairosApiError && detail.error.status === 404) setGone(true);
  }, [detail.error]);
  const caused = useApi(
    () =>
      asking
        ? unwrap(client().GET('/v1/users/{id}/rewards', { params: { path: { id: userId }, query: { causedBy: eventId, limit: EVENT_REWARDS_ASKED } } }))
        : Promise.resolve(undefined),
    [userId, eventId, asking],
  );
  const failure = detail.error ?? caused.error;
  const failing = failure !== null && failure !== undefined;
  useAgainAfter(detail, reclaimRefreshMs({ over: phase === 'done' || gone, source, failing }));
  useAgainAfter(caused, asking ? reclaimRefreshMs({ over: phase !== 'watching' || gone, source, failing }) : undefined);
  const rewards = source === 'desk' ? ledger : source === 'ledger' ? caused.data : undefined;
  const reclaimed = detail.data?.cancellation?.reclaimed ?? [];
  const progress = eventReclaimProgress(eventId, reclaimed, rewards);
  useEffect(() => {
    if (!progress.settled || phase !== 'watching') return;
    readBefore.current = detail.at;
    setPhase('last-read');
    detail.reload();
  }, [progress.settled, phase, detail]);
  useEffect(() => {
    if (phase === 'last-read' && detail.at !== readBefore.current) setPhase('done');
  }, [phase, detail.at]);
  useEffect(() => {
    if (progress.beyondAsked && phase === 'watching') setPhase('done');
  }, [progress.beyondAsked, phase]);
  // Why the row cannot say what the cancel took back: the API's words, or that the user's rewards could not be read.
  const why = (
    <>
      <ErrorBox error={failure} />
      {source === 'waiting' && ledgerFailed && (
        <span className="muted" data-testid="reclaim-unknown">
          Cancelled; what it took back shows once the user's rewards can be read.
        </span>
      )}
    </>
  );
  if (!detail.data) return failing || (source === 'waiting' && ledgerFailed) ? <div className="reclaimed">{why}</div> : null;
  return (
    <div className="reclaimed" aria-live="polite">
      {why}
      {reclaimed.length === 0 && progress.settled ? (
        <span className="muted" data-testid="reclaim-nothing">
          Cancelled. Nothing to take back: no reward it caused is still held.
        </span>
      ) : reclaimed.length === 0 ? (
        // Only once the rewards are read: before, nothing says the event caused any still held.
        rewards !== undefined && !progress.beyondAsked && <span className="muted">Cancelled; the journeys are taking back what it caused…</span>
      ) : (
        <>
          <ul>
            {reclaimed.map((r) => (
              <li key={r.idempotencyKey} data-testid="reclaim-outcome">
                <Badge tone={r.outcome === 'unreclaimable' ? 'error' : 'ended'}>{r.outcome === 'reversed' || r.outcome === 'voided' ? `reclaimed (${r.outcome})` : r.outcome}</Badge>{' '}
                <span className="mono small">{r.rewardId ?? r.idempotencyKey}</span>
                {r.reason && <span> — {r.reason}</span>}
              </li>
            ))}
          </ul>
          {!progress.settled && progress.left !== null && (
            <span className="muted" data-testid="reclaim-more">
              The journeys are still taking back {progress.left} more {progress.left === 1 ? 'reward' : 'rewards'}…
            </span>
          )}
        </>
      )}
      {progress.beyondAsked && (
        <p className="muted" data-testid="reclaim-beyond">
          This event caused more than {EVENT_REWARDS_ASKED} rewards, more than this row follows, so it stops here and cannot say when all are
          taken back. The ledger lists each one and its status: <code>GET {ledgerHint(userId, eventId).url}</code> (page on with <code>before</code>), or{' '}
          <code>{ledgerHint(userId, eventId).command}</code>.
        </p>
      )}
    </div>
  );
}
