/**
 * Every patch a journey asks for (`patched(id)`), and when each can go.
 *
 * A patch keeps journeys that started on older code replaying as they ran.
 * It retires in two releases, each gated on what still runs, never on the
 * calendar alone (a journey can wait months on a timer):
 *
 * 1. Deprecate: when no journey run that began before the patch's release
 *    (plus the deploy window, while old workers still started runs) is open:
 *      temporal workflow count --query "WorkflowType='journeyWorkflow' AND
 *        ExecutionStatus='Running' AND StartTime < '<release + deploy window>'"
 *    answers 0. Each continue-as-new run starts afresh on the code of its
 *    time, so only runs opened before the release count. Then replace
 *    `patched(id)` with `deprecatePatch(id)`, delete the old branch (and its
 *    ShellFeatures flag), and delete test/histories/before-<id>-*.json in the
 *    same commit: those histories are the old branch and cannot replay any more.
 * 2. Remove: when the same query with the deprecating release's date answers
 *    0, delete the `deprecatePatch(id)` call (histories that carry the
 *    deprecated marker replay without it).
 *
 * Order matters while both steps are pending: every patch is asked for
 * before the journey's first await (see journey.workflow.ts), and
 * lean-journey-history decides where defer-events-during-actions is asked.
 */
export const PATCHES = {
  /**
   * Released 2026-11-21 (9274909): events matching an `on` transition while a
   * state's actions run are deferred, not dropped. Replay evidence:
   * before-defer-patch-*.json. Deprecate once no run from before that release
   * is open; it can go in the same release as lean-journey-history.
   */
  deferEventsDuringActions: 'defer-events-during-actions',
  /**
   * Released 2026-11-21 (4dfff09): batched journey log, coalesced JourneyState
   * upserts, the profile read with the start, per-execution log keys. Replay
   * evidence: before-lean-patch-*.json. Deprecate with (not before)
   * defer-events-during-actions: journeys without this patch ask for that one
   * after their start lookup.
   */
  leanJourneyHistory: 'lean-journey-history',
  /**
   * Released 2026-11-30 (6c7ed19, issue 11): idempotency-key parts escaped so
   * keys cannot collide. Replay evidence: before-issue-11-patches-*.json.
   */
  encodedRewardKeys: 'encoded-reward-keys',
  /**
   * Released 2026-11-30 (933b179, issue 11): an event's `user` override
   * applies to that event only. Replay evidence: before-issue-11-patches-*.json.
   */
  eventUserOverrideOnce: 'event-user-override-once',
  /**
   * Released 2026-11-30 (54353ae, issue 11): every started effect is awaited
   * on its own, even two reclaims for one event. Replay evidence:
   * before-issue-11-patches-*.json. The three issue-11 patches share their
   * evidence and retire together.
   */
  distinctReclaimEffects: 'distinct-reclaim-effects',
  /**
   * Released 2026-11-30 (issue 12, cheaper journeys): a journey that starts
   * on this code records this one marker instead of the five above (each
   * marker also costs a TemporalChangeVersion upsert), and takes all five as
   * on. Replay evidence for the journeys from before: before-one-patch-marker-*.json.
   * Retiring it: when every patch above has been removed, replace this one by
   * deprecatePatch and then remove it, as for any other.
   */
  onePatchMarker: 'one-patch-marker',
  /**
   * Released 2026-11-30 (issue 12 item 8, cheaper journeys): ledger rewards
   * (coupon, points, credit) run as local activities, with the same timeouts
   * and retries, so a reward costs a marker instead of an activity task and
   * one more workflow task; a step's journey-log entries wait until all its
   * effects are started, and a ledger reward among them writes them first
   * (issueRewardWithLog: one local activity, one activation). A journey that starts on this code records this
   * one marker, which stands for one-patch-marker (and so for all five before
   * it). Replay evidence for journeys from before: before-local-rewards-*.json.
   * Retiring it: after one-patch-marker, in the same way.
   */
  localRewards: 'local-rewards',
  /**
   * Released 2026-12-02 (session 18): the events a path holds while its
   * actions run are bounded by their bytes too (LIMITS.deferredBytes), so a
   * journey waiting out quiet hours under a stream of large events keeps a
   * state Temporal can carry; and a run continues as new only once its
   * inbox weighs under CARRY_INBOX_BYTES (shell.ts), handling inputs first,
   * so a burst of large signals cannot make an input Temporal refuses. A journey that starts on this code records
   * this one marker, which stands for local-rewards (and all before it).
   * Replay evidence for journeys from before: before-deferred-budget-*.json.
   * Retiring it: after local-rewards, in the same way.
   */
  deferredEventsBudget: 'deferred-events-budget',
  /**
   * Released 2026-12-02 (session 19): an entry event (or a cron tick) that
   * reaches a journey which has ended but whose run still finishes its
   * effects (a webhook retrying, a held step) was ignored, and its delivery
   * said delivered: the event was lost. The run now keeps such entries and,
   * once its effects are done, continues as new as the next journey, which
   * takes them first (its own journey-log keys, so the ended journey's
   * entries count towards maxEntries). A journey that starts on this code
   * released together with entry-follows-activation, whose marker stands for
   * this one and deferred-events-budget (and all before it). Replay evidence
   * for journeys from before: before-entry-follows-activation-*.json.
   * Retiring it: after deferred-events-budget, with entry-follows-activation.
   */
  entriesAfterEnd: 'entries-after-end',
  /**
   * Released 2026-12-02 (engine-reentry): an idle journey (no path, nothing
   * outstanding) that receives an entry routed to another campaign version
   * (start deliveries carry it) continues as new on that version, carrying
   * its participation (entries, entry times, seen events, rewards); a run
   * that moved writes its memo's name. Before it, a returning user's new
   * entry ran the version the journey had started with. A journey that
   * starts on this code records this one marker, which stands for
   * entries-after-end and deferred-events-budget (and all before them). Replay evidence for
   * journeys from before: before-entry-follows-activation-*.json. Journeys
   * from before keep their version until their next continue-as-new (a run
   * starts afresh on the code of its time). Retiring it: after
   * deferred-events-budget, in the same way.
   */
  entryFollowsActivation: 'entry-follows-activation',
  /**
   * Released 2026-12-02 (session 20): an exit (or exitOn) stops its paths'
   * messages and webhooks still being sent: waiting out quiet hours,
   * retrying, or held. A cancelled event stops what it caused and is not yet
   * sent the same way, and skips every step not yet started that it caused,
   * messages and webhooks too (before, only rewards). Before it, a webhook
   * retried for minutes after an exit, and a message that waited out quiet
   * hours went out though its order had been refunded meanwhile. A journey
   * that starts on this code records this one marker, which stands for
   * entry-follows-activation (and all before it). Replay evidence for
   * journeys from before: before-cancel-stops-effects-*.json. Retiring it:
   * after entry-follows-activation, in the same way.
   */
  cancelStopsEffects: 'cancel-stops-effects',
  /**
   * Released 2026-12-02 (session 21): a journey of an archived campaign ends
   * once no path runs (at once when idle), told by the `campaignArchived`
   * signal or, for a run that starts after the archive, by its start lookup.
   * Before it, an idle journey of an archived campaign stayed open for ever.
   * Unlike the patches above it is asked for where the signal arrives, not at
   * the start: only journeys that receive it record the marker, and a signal
   * that reached a worker from before it (which dropped it as unknown) is
   * dropped again on replay. Replay evidence:
   * before-archive-ends-journeys-*.json. Retiring it: as above, once no run
   * that began before the release is open.
   */
  archiveEndsJourneys: 'archive-ends-journeys',
  /**
   * Released 2026-12-03 (session 25): a cancelled event also releases a
   * reward step of its own held for an operator (the ledger refused its
   * amount): the step is skipped, says why, and the reward reads notIssued,
   * not reclaimed. Before it, the step stayed held after the cancel and the
   * path waited for an operator. And an entry attempt on an idle journey
   * reads the stored profile afresh: before it, a profile read up to a
   * minute earlier decided the audience, so "update the profile, then send
   * the event" was refused. The ledger's record of a reward reclaimed by a
   * cancel keeps the cancel's reason even when the journey reclaims it (the
   * reward was still being issued): before, it read "event <id> cancelled".
   * A journey that starts on this code records this
   * one marker, which stands for cancel-stops-effects (and all before it).
   * Replay evidence for journeys from before: before-cancel-releases-held-rewards-*.json.
   * Retiring it: after cancel-stops-effects, in the same way.
   */
  cancelReleasesHeldRewards: 'cancel-releases-held-rewards',
  /**
   * Released 2026-12-03 (session 26): events held while a state's actions
   * ran, that the path had not taken when one of them moved it on, go to the
   * state it is in now, in order, counted in its aggregates. Before it they
   * were dropped: a burst (`start`, then three `step`s in one batch or from a
   * queue) took the first step only. And a split draws its branch once per
   * journey (the campaign language's "fixed per journey"), so a returning
   * user keeps one arm; before it each path and visit drew anew. And quiet
   * hours whose local end falls in a spring-forward gap end after the gap;
   * before it, at an instant still inside them (a message went out). A journey
   * that starts on this code records this one marker, which stands for
   * cancel-releases-held-rewards (and all before it). Replay evidence for
   * journeys from before: before-held-events-and-split-arms-*.json (`ivy`
   * is the burst, `jay` the returning user). Retiring it: after
   * cancel-releases-held-rewards, in the same way.
   */
  heldEventsAndSplitArms: 'held-events-and-split-arms',
  /**
   * Released 2026-12-03 (session 27): an `unlessHolding` coupon step that
   * answered alreadyHolding issued no reward of its own, so it reads
   * notIssued, and cancelling its event reclaims nothing for it. Before it,
   * it read issued, and a cancel marked it reclaimed and asked the ledger to
   * reclaim a key the ledger never held (support saw "reclaimed" for a coupon
   * never issued). A journey that starts on this code records this one
   * marker, which stands for held-events-and-split-arms (and all before it).
   * Replay evidence for journeys from before:
   * before-already-holding-is-no-reward-kit.json. Retiring it: after
   * held-events-and-split-arms, in the same way.
   */
  alreadyHoldingIsNoReward: 'already-holding-is-no-reward',
  /**
   * Released 2026-12-03 (session 28): a points or credit amount computed by
   * an expression is rounded to the 15 significant digits a double holds, so
   * 0.1 * 3 issues 0.3, not 0.30000000000000004 (which the ledger, the
   * pool's budget and the balance kept for ever). A journey that starts on
   * this code records this one marker, which stands for
   * already-holding-is-no-reward (and all before it). Replay evidence for
   * journeys from before: before-rounded-amounts-lou.json. Retiring it:
   * after already-holding-is-no-reward, in the same way.
   */
  roundedAmounts: 'rounded-amounts',
  /**
   * Released 2026-12-03 (session 29): an event's entry is judged against the
   * campaign's schedule window (startsAt, endsAt) by when Kairos received it
   * (events now carry receivedAt), not by when the delivery reached the
   * journey: an event accepted inside the window while Temporal was away
   * enters after the window closed, and one accepted before it opened does
   * not. A journey that starts on this code records this one marker, which
   * stands for rounded-amounts (and all before it). Replay evidence for
   * journeys from before: before-entry-window-by-receipt-mia.json. Retiring
   * it: after rounded-amounts, in the same way.
   */
  entryWindowByReceipt: 'entry-window-by-receipt',
  /**
   * Released 2026-12-05 (session 39): an entry that reaches a journey which
   * has ended but still finishes its effects is kept for the next journey
   * only when this one has not taken it already (a delivery sent twice) and
   * it was not cancelled; a cancel that reaches the run removes a kept
   * entry of its event. Before it, the next journey, which starts with no
   * memory of either, entered on such an event and issued its rewards,
   * which no cancel would ever take back. Released together with
   * quiet-hours-every-attempt, whose marker stands for this one and
   * entry-window-by-receipt (and all before them). Replay evidence for
   * journeys from before: before-kept-entries-checked-ned.json. Retiring
   * it: after entry-window-by-receipt, with quiet-hours-every-attempt.
   */
  keptEntriesChecked: 'kept-entries-checked',
  /**
   * Released 2026-12-05 (session 39): a message's activity gets the
   * campaign's quiet hours and, inside them, sends nothing and is tried
   * again when they end. Before it only the first attempt waited for the
   * window (the journey's timer): Temporal's retries of a failing send, and
   * an operator's retry of a held message, went out whenever they came. Only
   * the activity's input changes (no command does). Released with
   * kept-entries-checked and skip-voids-held-reward; replay evidence and
   * retiring as for kept-entries-checked.
   */
  quietHoursEveryAttempt: 'quiet-hours-every-attempt',
  /**
   * Released 2026-12-05 (session 39): a ledger step (coupon, points,
   * credit) skipped while held, by an operator, an exit or a cancel, has its
   * key reclaimed before it reads skipped: an attempt that failed for want
   * of an answer may have committed after all, and the reward it issued is
   * reversed (a commit still on its way is refused). Before it, such a
   * reward stayed with the user while the journey said nothing was issued,
   * and under `priority` the next step was issued as well. A journey that
   * starts on this code records this one marker, which stands for
   * quiet-hours-every-attempt and kept-entries-checked (and all before
   * them). Replay evidence for journeys from before:
   * before-kept-entries-checked-*.json (`hal`'s held reward is released by
   * a cancel: forcing this patch on adds a reclaim its replay refuses).
   * Retiring it: after
   * entry-window-by-receipt, with the two released with it.
   */
  skipVoidsHeldReward: 'skip-voids-held-reward',
  /**
   * Released 2026-12-05 (session 40): what a journey's state can grow to is
   * bounded where it was not. A path records at most the newest 199 events
   * as its rewards' causes (a condition over several aggregates gathered up
   * to 200 from each); a parallel journey runs at most 100 paths and admits
   * no new one while its state weighs over 1 MiB; reward records past
   * 512 KiB lose their oldest settled ones (the ledger keeps every cause, and
   * a cancel reclaims through it); a message whose evaluated data weighs
   * over 256 KiB fails its step. Before it a journey could carry a state
   * Temporal refuses, and fail every workflow task after. A journey that
   * starts on this code records this one marker, which stands for
   * skip-voids-held-reward (and all before it). Replay evidence for journeys
   * from before: before-bounded-journey-state-*.json. Retiring it: after
   * skip-voids-held-reward, in the same way.
   */
  boundedJourneyState: 'bounded-journey-state',
  /**
   * Released 2026-12-05 (session 40): a scheduled entry carries its tick's
   * time, and the journey judges the schedule window and the audience's
   * `now` then, as the batch did when it chose the user. Before it a page
   * that reached the journey after local midnight was judged by the next
   * day (a birthday campaign refused every user it had chosen). The entry
   * also carries the local time the tick stands for (tickKey), and a journey
   * takes one tick per local time: the schedule runs a time in an hour a
   * clock change repeats twice, and such users entered twice. Released
   * with bounded-journey-state: a journey that starts on this code records
   * this one marker, which stands for that one (and all before it). Replay
   * evidence: before-bounded-journey-state-*.json. Retiring it: with
   * bounded-journey-state.
   */
  scheduledEntryAtTick: 'scheduled-entry-at-tick',
  /**
   * Released 2026-12-05 (session 41): a scheduled entry's `cooldown` and
   * `frequency` count years, months, weeks and days on the calendar of the
   * entry's zone, hours and less exactly. Ticks come at a local time: before
   * it a weekly tick with `cooldown: P7D` came 167 hours after the last
   * across the spring clock change, and every user was refused that week.
   * A journey that starts on this code records this one marker, which
   * stands for scheduled-entry-at-tick (and all before it). Replay evidence
   * for journeys from before: before-scheduled-cooldown-local-days-*.json.
   * Retiring it: after scheduled-entry-at-tick, in the same way.
   */
  scheduledCooldownLocalDays: 'scheduled-cooldown-local-days',
  /**
   * Released 2026-12-05 (session 44): a scheduled entry's log row carries
   * the tick's time (`entryAt`), and its journey_entries row records that
   * time rather than when the tick's page reached the user. A running
   * journey already counted cooldown and frequency from the tick; a later
   * run of it (after an exit, or a version raising maxEntries) reads
   * journey_entries, and counted from the page's arrival: a weekly tick
   * with `cooldown: P7D` was refused the week after a late page. A journey
   * that starts on this code records this one marker, which stands for
   * scheduled-cooldown-local-days (and all before it). Replay evidence for
   * journeys from before: before-entry-row-at-tick-*.json. Retiring it:
   * after scheduled-cooldown-local-days, in the same way.
   */
  entryRowAtTick: 'entry-row-at-tick',
  /**
   * Released 2026-12-05 (session 46): four fixes to what a journey does
   * with an event. An event the API delivered as a plain signal (the
   * campaign paused, or the type is no entry of the active version) is
   * never an entry: a paused campaign entered idle and parallel journeys
   * again, and an idle journey re-entered on its retired version. Events
   * held while a state's actions ran follow the path when a `when`, a due
   * timer or a branch moves it at settle (they were dropped without a
   * note). The starting event reaches the initial state's `on` transitions
   * when that state has actions. And the 64 transitions an input may take
   * are counted per path (70 parallel paths shared one budget, and the last
   * ones missed the event). A journey that starts on this code records this
   * one marker, which stands for entry-row-at-tick (and all before it).
   * Replay evidence for journeys from before:
   * before-routed-entries-held-events-*.json. Retiring it: after
   * entry-row-at-tick, in the same way.
   */
  routedEntriesHeldEvents: 'routed-entries-held-events',
  /**
   * Released 2026-12-05 (session 47): the 500 reward records a journey
   * keeps drop only settled ones (an outcome reported), never one whose
   * issue is still under way. More than 500 reward steps started at once
   * (parallel paths times a parallel group) dropped the oldest pending
   * records, and a cancel of their event then neither reclaimed nor
   * blocked those issues, which stayed issued once they committed
   * (review-47-rewards, finding 1). Stands for routed-entries-held-events.
   * Replay evidence for journeys from before:
   * before-unsettled-rewards-kept-*.json.
   */
  unsettledRewardsKept: 'unsettled-rewards-kept',
  /**
   * Released 2026-12-06 (session 48), five fixes to what a journey holds
   * and carries (review-48-shell, findings 1, 2, 3 and 5). A ledger step
   * skipped while held (by an operator, an exit) whose void reclaim was
   * still running when the run continued as new was carried as work to do,
   * and the next run issued the reward the operator had refused: it is now
   * carried as that reclaim and its skipped outcome. A step that fails for
   * good after an exit ended its path is skipped (voided, for a ledger
   * step) instead of held for an operator, whose retry would have issued it
   * after the exit. An idle journey moving to another version drops what
   * it still held (held before this patch), and its wait gives way to a
   * continue-as-new, so it no longer waits for an operator without bound.
   * A move to the version an entry was routed to is taken with an inbox up
   * to what the move's input can hold (1.5 MiB with the state), not only
   * 512 KiB: a larger backlog had the entry decided on the old version.
   * And a timer whose firing a continue-as-new carried, and whose restart
   * fired again, keeps the place among held events it first took. Stands
   * for unsettled-rewards-kept. Replay evidence for journeys from before:
   * before-ended-paths-hold-nothing-*.json.
   */
  endedPathsHoldNothing: 'ended-paths-hold-nothing',
  /**
   * Released 2026-12-06 (session 49): what a continue-as-new carries is
   * bounded in all, not only its inbox (review-48-shell, finding 4). The
   * messages and webhooks still being sent travel with their data, and a
   * parallel journey's paths each waiting on a message that mirrors a large
   * event made an input over Temporal's 2 MB, which the server refused on
   * every attempt. When the whole carry weighs more than 1.75 MiB and work
   * is still under way, the run waits for it to settle (each attempt and
   * retry is bounded) before it continues as new; and a message or webhook
   * that fails for good is held for an operator only while the held steps
   * weigh at most 256 KiB: past that it fails, saying why. Stands for
   * ended-paths-hold-nothing. Replay evidence for journeys from before:
   * before-carried-work-bounded-*.json.
   */
  carriedWorkBounded: 'carried-work-bounded',
  /**
   * Released 2026-12-06 (session 51): the message data and webhook bodies
   * one workflow task schedules weigh at most 1.5 MiB in all (review-51-
   * messages, finding 1); the deliveries past it wait for a later task, in
   * their own cancellation scope, so an exit or a cancel still stops them.
   * Every activity a task schedules travels in one completion, which
   * Temporal refuses past its 4 MB gRPC limit: a parallel group of 20
   * messages each copying a 220 KB event, or 20 paths each sending one when
   * that event moved them all, failed the task on every attempt (the dev
   * server keeps the journey wedged, nothing sent; newer servers terminate
   * it). Asked where a delivery would wait, so a journey from before that
   * replays schedules as it ran, and waits from then on; a journey that
   * starts on this code records the marker with its first task, where it
   * stands for carried-work-bounded (and all before it). Replay evidence
   * for journeys from before: before-delivery-inputs-per-task-*.json.
   * Retiring it: after carried-work-bounded, in the same way (both places
   * that ask for it).
   */
  deliveryInputsPerTask: 'delivery-inputs-per-task',
  /**
   * Released 2026-12-06 (session 53, review-53-journeys finding 2): a run
   * that begins a journey (no carried state) asks its start lookup which of
   * the events and ticks that came with its start an earlier execution of
   * the journey already entered on (their journey_entries rows, by the
   * entry's journey-log cause), and remembers them among the ids it has
   * seen, so `step` ignores them. Before it, a start delivery sent again
   * (the API's send timed out after Temporal had taken it, and the outbox
   * relay sent it again) that came after the journey had ended and closed
   * started a new execution that entered on the same event and issued its
   * rewards a second time, under a new entry number (so new ledger keys).
   * And a run whose journey ended and that begins the next journey (entries
   * that reached it after the end) passes on the ids the ended journey had
   * seen or cancelled, less those of the entries it passes on
   * (input.seenBefore), so a resend that reaches the next run later, as a
   * signal, does not enter again either (review-53-diff-a, finding 1).
   * Stands for delivery-inputs-per-task (and all before it). Released with
   * entry-times-by-receipt, whose marker stands for this one; replay
   * evidence for journeys from before both:
   * before-seen-events-outlive-run-*.json. Retiring it: after
   * delivery-inputs-per-task, with entry-times-by-receipt.
   */
  seenEventsOutliveRun: 'seen-events-outlive-run',
  /**
   * Released 2026-12-06 (session 53, review-53-journeys finding 1): an
   * event's entry is judged, `cooldown`, `frequency` and `now()` in
   * `entry.if` and the audience, at when Kairos received it (as the
   * schedule window has been since entry-window-by-receipt), and the entry
   * is recorded at that time (the journey's entry times, and its
   * journey_entries row through the log row's `entryAt`); a receipt later
   * than the delivery (the API host's clock ahead) counts as the delivery's
   * time, window included (review-53-diff-a, finding 3). Before it they
   * used when the delivery reached the journey: after a Temporal outage a
   * late delivery counted its entry from its delivery, and refused (or let
   * in) the next entry by the outbox's timing. A journey that starts on
   * this code records this one marker, which stands for
   * seen-events-outlive-run (and all before it). Replay evidence for
   * journeys from before: before-seen-events-outlive-run-*.json. Retiring
   * it: after delivery-inputs-per-task, with seen-events-outlive-run.
   */
  entryTimesByReceipt: 'entry-times-by-receipt',
  /**
   * Released 2026-12-06 (session 55, review-55-journey findings 2 and 3):
   * an event sent with the id of the aggregates' summary of folded events,
   * `(earlier events)`, counts as any other (it was read as the summary:
   * counts and sums went NaN, and the 201st contribution or a `distinct`
   * threw inside `step`, failing every workflow task after); and a timer
   * that fell due while a state's actions ran keeps its place among the held
   * events when held events before it are dropped, by a cancel or by the
   * held events' bounds (its place was an index that then pointed later, so
   * an event that came after the deadline could be taken before it). Replay
   * evidence: before-exact-held-and-folded-*.json. A journey that starts on
   * this code records this one marker, which stands for entry-times-by-receipt
   * (and so for every patch before it).
   */
  exactHeldAndFolded: 'exact-held-and-folded',
  /**
   * Released 2026-12-07 (session 56, review-55-journey finding 1): the
   * whole journey is weighed before each new run, with no work under way
   * too (before, only a run with messages or webhooks under way was
   * weighed, and per-part bounds, per path, added up past Temporal's 2 MB:
   * eight parallel paths that each took a 250 KiB event made a
   * continue-as-new Temporal refused on every attempt); what it hands over
   * is weighed again as it does. Too heavy, it gives up the oldest trace
   * entries, then settled reward records, then folds aggregate
   * contributions into their summaries, then drops held events
   * (lightenToFit), just enough; when even all of that would not do, it
   * gives up nothing, stays in its run and is weighed again later. An event too large to hold while actions run no longer
   * drops the events held before it (review-55-diff-a). Replay evidence:
   * before-journey-weighed-whole-*.json. A journey that starts on this code
   * records this one marker, which stands for exact-held-and-folded (and so
   * for every patch before it).
   */
  journeyWeighed: 'journey-weighed-whole',
  /**
   * Released 2026-12-07 (session 57): an idle journey of a campaign whose
   * `schedule.endsAt` is set waits for its next input only until just past
   * it, and then ends (review-57-campaigns finding 1: it ended only when an
   * input reached it after `endsAt`, and else ran in Temporal for good); and
   * a journey whose campaign version has a state named `held` shows a held
   * step as JourneyState `(held)`, since `held` is where its paths wait
   * (review-57-read finding 1: a journey waiting there was listed and
   * counted as holding a step, and the KairosHeldSteps alert fired); other
   * journeys keep `held`. Replay evidence:
   * before-schedule-end-held-apart-*.json. A journey that starts on this
   * code records this one marker, which stands for journey-weighed-whole
   * (and so for every patch before it).
   */
  scheduleEndHeldApart: 'schedule-end-held-apart',
  /**
   * Released 2026-12-07 (session 58, review-58-shell finding 1): a running
   * journey takes the `campaignSchedule` signal, which tells it the
   * `schedule.endsAt` of a newly activated version whose end differs from
   * the version's before it, and ends by that end from then on, whichever
   * version it runs (before, a journey idle on an older version ended at
   * that version's end: too early when the campaign was extended, never
   * when a new version set the first end). Asked where the signal arrives,
   * as archive-ends-journeys is, not at the start: a worker from before it
   * dropped the signal as unknown, and replaying such a history drops it
   * again. A run also learns the active schedule from its start lookup
   * (`activeSchedule`, absent from every start recorded before), when it
   * runs another version or was told an older activation; and a told end
   * also closes the entry window (decideEntry). No start command changes, so
   * journeys from before replay as they ran. Replay evidence:
   * journey-uma.json (told a new end while idle).
   */
  scheduleEndFollowsActivation: 'schedule-end-follows-activation',
  /**
   * Released 2026-12-07 (session 58, review-58-inputs finding 2): the
   * JourneyState of a journey whose current states, joined by ",", pass 255
   * characters lists as many as fit and then `,…+N` (journeyStateText):
   * Temporal's SQL visibility keeps custom Keywords in varchar(255), and
   * a longer value stopped the journey's visibility record being written
   * (running counts, the users' journeys and held steps read it). Asked
   * only when the joined text is too long, so journeys that never show one
   * record nothing and replay as they ran. Replay evidence:
   * journey-vic.json (three parallel paths in 90-character states).
   */
  journeyStateFits: 'journey-state-fits',
  /**
   * Released 2026-12-07 (session 59, review-59-language finding 2): a number
   * a condition computes (a `sum` or `avg` read, arithmetic) reads as the
   * decimal it stands for, rounded to the 15 significant digits a double
   * holds (decimalReading): orders of 2.40, 14.20 and 3.40 make
   * `sum(...) >= 20` hold (their doubles add up to 19.999999999999996, and
   * the journey kept waiting). Asked only where the decimal differs from the
   * double, through StepOptions.decimals, so journeys that never compute
   * such a number record nothing, and journeys from before read the double
   * where they did. Replay evidence: before-decimal-readings-wes.json (kept
   * waiting, then an exit) and journey-wes.json (completes at the third
   * order).
   */
  decimalReadings: 'decimal-readings',
  /**
   * Released 2026-12-07 (session 60, review-60-workflows finding 1): the
   * events a path takes while its state's actions run are judged in the
   * order they came, as without actions. Each event that counts in the
   * path's aggregates, or that an `on` of some state waits for, is held
   * (before, only those an `on` of the state waited for); when the actions
   * finish, the held events' shares come out, what fires on arrival is
   * judged without them, and each goes back as it is taken, so it is judged
   * on what came before it. Before, a held `checkout` was judged with the
   * `cart.add`s that came after it already counted (a reward the rules did
   * not give), and an event not held was lost to the state a move led to.
   * Asked, through StepOptions.heldInOrder, only when such an event arrives
   * during actions or more than one held event is judged, so other journeys
   * record nothing. Replay evidence: before-held-events-in-order-xan.json
   * (rewarded on the held checkout) and journey-xan.json (keeps waiting in
   * start, then an exit).
   */
  heldEventsInOrder: 'held-events-in-order',
  /**
   * Released 2026-12-07 (session 60, review-60-workflows finding 4): an
   * event of an entry type that the API delivered to running journeys only
   * (`delivery: 'signal'`: its campaign paused, or the active version not
   * entered on that type) and that reaches an ended journey whose run is
   * still finishing its effects begins no next journey (entersAfterEnd):
   * before, the run continued as new into a journey that refused it and
   * stayed open, idle, though nothing entered it. Asked only for such an
   * event there, so other journeys record nothing. Replay evidence:
   * before-signal-only-begins-nothing-yul.json (continued as new) and
   * journey-yul.json (completes).
   */
  signalOnlyBeginsNothing: 'signal-only-begins-nothing',
  /**
   * Released 2026-12-07 (session 63, review-63-machine finding 1): an
   * immediate branch whose `if` reads aggregates names the events that
   * counted in them among the causes of its move, as a `when` or an
   * `on … if` reading the same aggregates does, so the rewards that follow
   * record them (the ledger's reward_causes too) and cancelling one
   * reclaims them. Before it, a branch after a timer, after an `on` with no
   * condition or after any move that took a new snapshot named none: a
   * month-end tally's reward stayed when a counted order was refunded. A
   * path leaving a state for one whose branches read aggregates carries
   * the newest LIMITS.causedBy events of those (PathState.snapshotCauses).
   * Asked, through StepOptions.snapshotCauses, only where a path would
   * carry such events, so other journeys record nothing. Replay evidence:
   * before-aggregate-branch-causes-zoe.json (the cancel reclaims nothing,
   * then an exit) and journey-zoe.json (the cancel runs the reclaim).
   */
  aggregateBranchCauses: 'aggregate-branch-causes',
  /**
   * Released 2026-12-07 (session 63, review-63-machine finding 3): past the
   * bound of LIMITS.deferredEvents (20) events a path holds while its
   * state's actions run, the oldest events that no `on` of any state waits
   * for are dropped first; those an `on` waits for go only when more than
   * the bound of them are held (and the byte bound, LIMITS.deferredBytes,
   * drops the oldest of what is left, as before). A dropped event's share
   * stays in the aggregates, as it always has. Before it, since
   * held-events-in-order held the events that only count in aggregates too,
   * all shared the bound oldest first: a `checkout` followed by 20
   * `page.view`s while a message waited out quiet hours was dropped, and the
   * path never moved on it. Asked, through StepOptions.awaitedHeldKept, only
   * where the new rule keeps other events than the old one, so other
   * journeys record nothing. Replay evidence:
   * before-held-bound-keeps-awaited-amy.json (the checkout dropped, the path
   * keeps waiting, then an exit) and journey-amy.json (the checkout kept:
   * its bonus is issued and the journey completes).
   */
  heldBoundKeepsAwaited: 'held-bound-keeps-awaited',
  /**
   * Released 2026-12-07 (session 63, review-63-machine finding 4): as a
   * path's actions finish and its held events are taken in the order they
   * came, each event's share of the aggregates goes back as it was on
   * arrival. Before it, the share was computed again with the profile of
   * the latest event and at the settle's time, so an aggregate whose filter
   * reads `user.*`, `journey.*` or `now()` counted the events otherwise
   * than on arrival, and only when two or more were held:
   * `count('order.completed', user.vip == true) >= 2` with two vip orders
   * (their `user` override) and then any event without it counted none.
   * Asked, through StepOptions.heldSharesKept, only where the share computed
   * again would differ, so other journeys record nothing. Replay evidence:
   * before-held-shares-kept-bea.json (counted none, keeps waiting, then an
   * exit) and journey-bea.json (counted both: the bonus is issued and the
   * journey completes).
   */
  heldSharesKept: 'held-shares-kept',
} as const;
