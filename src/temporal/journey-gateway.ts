import { createHash } from 'node:crypto';
import { isGrpcServiceError, WorkflowNotFoundError, type Client, type SignalDefinition, type WorkflowExecutionDescription, type WorkflowExecutionInfo, type WorkflowHandle } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { JourneyEvent } from '../domain/event';
import type { PreviewResult } from '../domain/machine';
import {
  campaignArchivedSignal,
  campaignScheduleSignal,
  campaignKeySearchAttribute,
  campaignVersionSearchAttribute,
  cancelEventSignal,
  eventSignal,
  eventsSignal,
  exitSignal,
  HELD_STATE,
  HELD_STATE_APART,
  JOURNEY_WORKFLOW_TYPE,
  previewQuery,
  retryActionUpdate,
  scheduledEntrySignal,
  skipActionUpdate,
  stateQuery,
  userIdSearchAttribute,
  type CampaignArchivedPayload,
  type CampaignSchedulePayload,
  type HeldActionDecision,
  type HeldActionRequest,
  type JourneyView,
  type JourneyWorkflow,
  type ScheduledEntryPayload,
} from '../workflows/journey/contract';
import { archivedCampaignWorkflow, archivedCampaignWorkflowId } from '../workflows/archived-campaign.workflow';
import { campaignScheduleWorkflow, campaignScheduleWorkflowId } from '../workflows/campaign-schedule.workflow';
import { TemporalUnreachableError } from './connectivity';
import { journeyIdOf } from './journey-id';
import { Reachability } from './reachability';
import { onceRunStarted } from './run-start';
import { SharedAnswers } from './shared-answers';
import { visibilityMatches, visibilityString } from './visibility-query';

/** Visibility trails a start or an end by about a second: a count this much older says the same. */
const RUNNING_COUNT_SHARED_MS = 2_000;

/** A held journey as visibility lists it. */
/** Campaign versions with a state named `held`, by campaign key (CampaignsRepository.versionsWithState). */
export type HeldNamedVersions = ReadonlyMap<string, readonly number[]>;

export interface HeldRun {
  workflowId: string;
  runId: string;
  startMs: number;
  campaignKey: string;
  userId: string;
}

/**
 * Where a page of held journeys ended: the start time (ms) of its last one,
 * and short marks (heldRunMark) of the listed journeys that started in that
 * millisecond, which the next page skips.
 */
export interface HeldPageMark {
  startMs: number;
  seen: string[];
}

/** A workflow id's mark in a HeldPageMark: 10 hex digits of its SHA-256, so a cursor stays short whatever the ids' length. */
export function heldRunMark(workflowId: string): string {
  return createHash('sha256').update(workflowId).digest('hex').slice(0, 10);
}

/**
 * The most marks a HeldPageMark carries (the held-steps cursor takes no more): 500 marks are a 5.5 KB cursor,
 * which a URL carries; marks without a bound would grow past what a request line may hold.
 */
export const MAX_HELD_PAGE_MARKS = 500;

/**
 * Where the page after `runs` starts. Past MAX_HELD_PAGE_MARKS journeys listed in one millisecond (a batch
 * entry's round held on one failing webhook, on a fast server), it goes on before that millisecond, with no
 * marks: the rest of that millisecond's journeys are skipped rather than the API handing out a cursor it
 * would then refuse. Null when nothing can start before it.
 */
function nextHeldPageMark(after: HeldPageMark | undefined, runs: readonly HeldRun[]): HeldPageMark | null {
  const startMs = runs[runs.length - 1].startMs;
  const listed = runs.filter((r) => r.startMs === startMs).map((r) => heldRunMark(r.workflowId));
  const seen = after?.startMs === startMs ? [...after.seen, ...listed] : listed;
  if (seen.length <= MAX_HELD_PAGE_MARKS) return { startMs, seen };
  return startMs > 0 ? { startMs: startMs - 1, seen: [] } : null;
}

/** Which journey: one per (campaign, user). */
export interface JourneyRef {
  campaignKey: string;
  campaignVersion: number;
  userId: string;
}

/**
 * One event for one (campaign, user) journey: `start` may create the journey,
 * `signal` only reaches a running one. `workflowId` is the journey's id as the
 * delivery was planned with (journeyWorkflowId), computed once per send.
 */
export interface JourneyDelivery extends JourneyRef {
  kind: 'start' | 'signal';
  workflowId: string;
  event: JourneyEvent;
}

export type DeliveryOutcome = 'delivered' | 'not-running';

export interface CancelSignalOutcome {
  /** Journeys that were running and were told (they also fix their pending aggregates). */
  signalled: string[];
  /** Journeys that had already ended. */
  ended: string[];
}

/** What listing and describing both give about a run. */
export type JourneyRunInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'startTime' | 'closeTime' | 'memo' | 'typedSearchAttributes'>;

/** gRPC NOT_FOUND: the workflow never ran, or has ended. */
const GRPC_NOT_FOUND = 5;

/** One cancel's signal request id: the same for every attempt to tell a journey about it (bounded, whatever the event id's length). */
export function cancelRequestId(eventId: string): string {
  return `kairos-cancel-${createHash('sha256').update(eventId).digest('hex')}`;
}

/** The longest a call waits while Temporal is known to be unreachable. */
const UNREACHABLE_CALL_MS = 2_000;
/** One batch-entry start: under the page's heartbeat timeout (1 minute), a round's calls running at once. */
const SCHEDULED_ENTRY_TIMEOUT_MS = 30_000;
/** How long a call that found Temporal unreachable shortens the next ones, unless one gets through first. */
const UNREACHABLE_REMEMBERED_MS = 30_000;

/** Signals sent at once while telling an archived campaign's journeys. */
const SIGNALS_IN_FLIGHT = 16;

/** Ids listed per visibility query; keeps the query text well under the server's limit. */
const IDS_PER_QUERY = 100;
/**
 * How long after one of its runs closed a workflow id that visibility lists
 * as not running is described: far past the minutes visibility may fall
 * behind between a continued run's close and its next run's start.
 */
const CLOSED_LATELY_MS = 60 * 60_000;
/** Ids one `running` call describes at most (closed lately, or not matchable by visibility); the number of ids a retention batch asks about is its own setting. */
const DESCRIBES_PER_CALL = 100;
/** Describes in flight at once. */
const DESCRIBES_IN_FLIGHT = 8;

/**
 * Every call into journey workflows, for the API, the outbox relay and the
 * activities: they know journeys through this class and the contract
 * (src/workflows/journey/contract.ts), never through the workflow's file.
 * Calls throw what the Temporal client throws; callers map errors to their
 * own terms (HTTP errors, a retried delivery, an activity failure).
 */
export class JourneyGateway {
  /** Running counts asked by every open console tab: each one goes to visibility at most once per RUNNING_COUNT_SHARED_MS. */
  private readonly runningCounts = new SharedAnswers<number>(RUNNING_COUNT_SHARED_MS);
  private readonly reachability = new Reachability(UNREACHABLE_REMEMBERED_MS);

  constructor(
    private readonly client: Client,
    /** The task queue journeys are started on. */
    readonly taskQueue: string,
    /** The name of a campaign version when it is at hand (the plan store's cache), for the start memo. */
    private readonly campaignName: (campaignKey: string, version: number) => string | undefined = () => undefined,
    /** False until Kairos's search attributes are registered (SearchAttributesGate): Temporal would refuse a start for good. */
    private readonly startsAllowed: () => boolean = () => true,
  ) {}

  /** The journey's workflow id (journeyIdOf: at most 255 characters). */
  idOf(campaignKey: string, userId: string): string {
    return journeyIdOf(campaignKey, userId);
  }

  /**
   * Runs `fn` with the client's deadline (it ends the client's own retries) and, when given, an abort signal.
   * While a recent call found Temporal unreachable, the deadline is at most UNREACHABLE_CALL_MS: a
   * request then answers 503 in seconds instead of waiting its whole timeout, and any call that gets
   * through (Temporal back) lifts that at once.
   */
  bounded<T>(timeoutMs: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = signal ? () => this.client.withAbortSignal(signal, fn) : fn;
    const ms = this.reachability.knownUnreachable() ? Math.min(timeoutMs, UNREACHABLE_CALL_MS) : timeoutMs;
    return this.reachability.watch(this.client.withDeadline(Date.now() + ms, run));
  }

  /** Whether Temporal answers a cheap call within `timeoutMs`; never throws. */
  answers(timeoutMs: number): Promise<boolean> {
    return this.bounded(timeoutMs, () => this.client.connection.workflowService.getSystemInfo({})).then(
      () => true,
      () => false,
    );
  }

  /**
   * Delivers one event. Throws when Temporal cannot be reached; the caller
   * keeps the delivery to retry. Signals are idempotent downstream: a journey
   * ignores an event id it has seen.
   */
  async deliver(d: JourneyDelivery): Promise<DeliveryOutcome> {
    const { event, ...rest } = d;
    return this.send(rest, eventSignal, routedEvent(event, d));
  }

  /**
   * Several events for one journey in one call, in order: one `event` signal
   * for a lone event (what every journey understands), one batched `events`
   * signal otherwise. A call may mix start and signal rows of different
   * versions: the caller marks each start row's event with routedEvent. Workers must be upgraded before the API instances that
   * send the batched signal (docs/operations.md, "Upgrading").
   */
  async deliverEvents(d: Omit<JourneyDelivery, 'event'> & { events: JourneyEvent[] }): Promise<DeliveryOutcome> {
    const { events, ...rest } = d;
    if (events.length === 1) return this.send(rest, eventSignal, events[0]);
    return this.send(rest, eventsSignal, { version: 1, events });
  }

  /**
   * One signal to one journey: `signal` reaches only a running journey
   * ('not-running' when none runs), `start` signals with start. The signal
   * (one event or a batch) is the caller's choice.
   */
  private async send<P>(d: Omit<JourneyDelivery, 'event'>, signal: SignalDefinition<[P]>, payload: P): Promise<DeliveryOutcome> {
    if (d.kind === 'signal') {
      try {
        await this.client.workflow.getHandle(d.workflowId).signal(signal, payload);
        return 'delivered';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'not-running';
        throw err;
      }
    }
    this.assertStartsAllowed();
    await this.client.workflow.signalWithStart<JourneyWorkflow, [P]>(JOURNEY_WORKFLOW_TYPE, {
      ...this.startOptions(d.workflowId, d),
      signal,
      signalArgs: [payload],
    });
    return 'delivered';
  }

  /**
   * Batch entry: starts (or reaches) the journey with a scheduled entry for
   * tick `tickId`; idempotent per tick. `tickAt` (epoch ms): when the tick
   * was due, which the journey judges the entry at, as the batch did;
   * `tickKey`: the local time the tick stands for (domain/campaign/tick-key).
   */
  async enterScheduled(d: JourneyRef & { tickId: string; tickAt?: number; tickKey?: string }, signal?: AbortSignal): Promise<void> {
    this.assertStartsAllowed();
    // Bounded: a call Temporal keeps backing off (rate limits) would hold its page past its timeout with no end.
    await this.bounded(
      SCHEDULED_ENTRY_TIMEOUT_MS,
      () =>
        this.client.workflow.signalWithStart<JourneyWorkflow, [ScheduledEntryPayload]>(JOURNEY_WORKFLOW_TYPE, {
          ...this.startOptions(this.idOf(d.campaignKey, d.userId), d),
          signal: scheduledEntrySignal,
          // The version travels in the signal too: a journey already running (idle on another version) follows it.
          signalArgs: [{ version: 1, tickId: d.tickId, campaignVersion: d.campaignVersion, ...(d.tickAt === undefined ? {} : { tickAt: new Date(d.tickAt).toISOString() }), ...(d.tickKey === undefined ? {} : { tickKey: d.tickKey }) }],
        }),
      signal,
    );
  }

  /** Throws as an outage would, so the delivery waits in the outbox: no start before the search attributes exist. */
  private assertStartsAllowed(): void {
    if (!this.startsAllowed()) throw new TemporalUnreachableError('Temporal has not answered since this process started: its search attributes are not registered yet');
  }

  /**
   * Asks a running journey to exit: its current run, or run `runId` only (the one the caller saw).
   * Throws WorkflowNotFoundError when none runs, or that run does not any more.
   */
  async exit(workflowId: string, reason: string, runId?: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId, runId).signal(exitSignal, { version: 1, reason });
  }

  /**
   * Starts telling an archived campaign's running journeys (the
   * archivedCampaignWorkflow, one per campaign: archiving again while it runs
   * joins it). Returns its workflow id.
   */
  async startArchiveNotice(campaignKey: string): Promise<string> {
    const workflowId = archivedCampaignWorkflowId(campaignKey);
    await this.client.workflow.start(archivedCampaignWorkflow, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ version: 1, campaignKey }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return workflowId;
  }

  /**
   * Starts telling the campaign's running journeys the schedule end of its
   * active version (campaignScheduleWorkflow, one per campaign: a later
   * activation replaces one still telling; each page reads what is active
   * as it tells). Returns its workflow id.
   */
  async startScheduleNotice(campaignKey: string): Promise<string> {
    const workflowId = campaignScheduleWorkflowId(campaignKey);
    await this.client.workflow.start(campaignScheduleWorkflow, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ version: 1, campaignKey }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    return workflowId;
  }

  /** One page of the campaign's running journeys, each sent `campaignArchived` (see signalPage). */
  tellArchivedPage(campaignKey: string, pageToken: string | null, pageSize: number): Promise<{ told: number; nextPageToken: string | null }> {
    return this.signalPage(campaignKey, pageToken, pageSize, (handle) => handle.signal(campaignArchivedSignal, { version: 1 } satisfies CampaignArchivedPayload));
  }

  /** One page of the campaign's running journeys, each sent `campaignSchedule` with `notice` (see signalPage). */
  tellSchedulePage(campaignKey: string, notice: CampaignSchedulePayload, pageToken: string | null, pageSize: number): Promise<{ told: number; nextPageToken: string | null }> {
    return this.signalPage(campaignKey, pageToken, pageSize, (handle) => handle.signal(campaignScheduleSignal, notice));
  }

  /**
   * One page of the campaign's running journeys on this deployment's task
   * queue (another Kairos may share the namespace and the key), each
   * signalled by `send`; one that ended meanwhile is passed over.
   */
  private async signalPage(
    campaignKey: string,
    pageToken: string | null,
    pageSize: number,
    send: (handle: WorkflowHandle) => Promise<void>,
  ): Promise<{ told: number; nextPageToken: string | null }> {
    const page = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.client.options.namespace,
      query: `${this.ourJourneys()} AND CampaignKey = ${visibilityString(campaignKey)} AND ExecutionStatus = 'Running'`,
      pageSize,
      nextPageToken: pageToken === null ? undefined : Buffer.from(pageToken, 'base64'),
    });
    const ids = (page.executions ?? []).flatMap((e) => (e.execution?.workflowId ? [e.execution.workflowId] : []));
    let told = 0;
    for (let i = 0; i < ids.length; i += SIGNALS_IN_FLIGHT) {
      await Promise.all(
        ids.slice(i, i + SIGNALS_IN_FLIGHT).map(async (id) => {
          try {
            await send(this.client.workflow.getHandle(id));
            told++;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }),
      );
    }
    const next = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken).toString('base64') : null;
    return { told, nextPageToken: next };
  }

  /**
   * The `state` query (closed journeys answer too, replayed by a worker); `runId` picks one run.
   * A run that is starting is asked again (onceRunStarted); `whileStarting: false` for a closed
   * one, which starts no more: a run that failed before its handlers existed answers at once.
   */
  state(workflowId: string, runId?: string, opts: { whileStarting?: boolean } = {}): Promise<JourneyView> {
    const ask = () => this.client.workflow.getHandle(workflowId, runId).query(stateQuery);
    return opts.whileStarting === false ? ask() : onceRunStarted(ask);
  }

  /** The journey's latest run, or run `runId` of it (NotFound when the journey never had that run). */
  describe(workflowId: string, runId?: string): Promise<WorkflowExecutionDescription> {
    return this.client.workflow.getHandle(workflowId, runId).describe();
  }

  /**
   * What `event` would do in the running journey at `at` (epoch ms, default now), with nothing issued. The time
   * goes along: a query's own clock is the journey's last workflow task. The event is received then too, as one
   * sent for real would be (its schedule window judges the entry by receipt).
   */
  preview(workflowId: string, event: JourneyEvent, at = Date.now()): Promise<PreviewResult> {
    const received = { ...event, receivedAt: event.receivedAt ?? new Date(at).toISOString() };
    return onceRunStarted(() => this.client.workflow.getHandle(workflowId).query(previewQuery, received, at));
  }

  /**
   * Retries or skips a held step; the update's validator refuses when none (or several, unnamed) are held.
   * `updateId` (else a fresh one): Temporal runs an update of a known id once in a run, and answers a
   * resend with the first one's outcome. `runId`: that run only (WorkflowNotFoundError once it has closed), else the current one.
   */
  decide(workflowId: string, decision: 'retry' | 'skip', req: HeldActionRequest, updateId?: string, runId?: string): Promise<HeldActionDecision> {
    const update = decision === 'retry' ? retryActionUpdate : skipActionUpdate;
    return onceRunStarted(() => this.client.workflow.getHandle(workflowId, runId).executeUpdate(update, { args: [req], ...(updateId ? { updateId } : {}) }));
  }

  /** Tells the journeys that saw an event that it is cancelled; ended ones are listed apart. */
  async cancelEvent(req: { eventId: string; reason?: string; workflowIds: readonly string[] }): Promise<CancelSignalOutcome> {
    const signalled: string[] = [];
    const ended: string[] = [];
    await Promise.all(
      req.workflowIds.map(async (id) => {
        try {
          await this.signalOnce(id, cancelEventSignal, { version: 1, eventId: req.eventId, reason: req.reason }, cancelRequestId(req.eventId));
          signalled.push(id);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          ended.push(id);
        }
      }),
    );
    return { signalled: signalled.sort(), ended: ended.sort() };
  }

  /**
   * Signals a journey under a request id of Kairos's own. Temporal keeps a
   * run's signal request ids and takes a second signal with a known id as
   * done, without adding it to the history. The client's signal() draws a
   * new id per call, so a signal whose answer was lost (a deadline that ran
   * out while a restarting server still took it) would arrive twice when the
   * caller tries again.
   */
  private async signalOnce<T>(workflowId: string, signal: SignalDefinition<[T]>, payload: T, requestId: string): Promise<void> {
    const workflows = this.client.workflow;
    try {
      await workflows.workflowService.signalWorkflowExecution({
        namespace: workflows.options.namespace,
        identity: workflows.options.identity,
        workflowExecution: { workflowId },
        requestId,
        signalName: signal.name,
        input: { payloads: await encodeToPayloads(workflows.options.loadedDataConverter, payload) },
      });
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) throw new WorkflowNotFoundError(`No running workflow ${workflowId}`, workflowId, undefined);
      throw err;
    }
  }

  /** Every run of a user's journeys (running and closed), from visibility by the UserId attribute. */
  async *runsOf(userId: string): AsyncIterable<JourneyRunInfo> {
    const query = `${this.ourJourneys()} AND UserId = ${visibilityString(userId)}`;
    for await (const wf of this.client.workflow.list({ query, pageSize: 100 })) {
      if (wf.typedSearchAttributes.get(userIdSearchAttribute) === userId) yield wf;
    }
  }

  /**
   * Running journeys holding a step, newest start first (visibility's order),
   * `limit` of them after `after`. A page resumes from the last start time it
   * listed, not from a position, so a journey released meanwhile does not push
   * one still held off the next page; journeys that started in that same
   * millisecond are told apart by `seen` (see HeldPageMark).
   */
  async heldRuns(after: HeldPageMark | undefined, limit: number, heldNamed: HeldNamedVersions = new Map()): Promise<{ runs: HeldRun[]; next: HeldPageMark | null }> {
    // Visibility keeps start times in nanoseconds and the SDK hands out milliseconds: "before the next millisecond" keeps every run of `after`'s.
    const before = after ? ` AND StartTime < ${visibilityString(new Date(after.startMs + 1).toISOString())}` : '';
    const query = `${this.heldJourneys(heldNamed)}${before}`;
    const seen = new Set(after?.seen);
    const runs: HeldRun[] = [];
    for await (const wf of this.client.workflow.list({ query, pageSize: Math.min(limit + 1 + seen.size, 1000) })) {
      const startMs = wf.startTime.getTime();
      if (after && startMs === after.startMs && seen.has(heldRunMark(wf.workflowId))) continue;
      if (runs.length === limit) return { runs, next: nextHeldPageMark(after, runs) };
      runs.push({
        workflowId: wf.workflowId,
        runId: wf.runId,
        startMs,
        campaignKey: wf.typedSearchAttributes.get(campaignKeySearchAttribute) ?? '',
        userId: wf.typedSearchAttributes.get(userIdSearchAttribute) ?? '',
      });
    }
    return { runs, next: null };
  }

  /** Running journeys holding a step for an operator, by visibility. */
  async countHeld(heldNamed: HeldNamedVersions = new Map()): Promise<number> {
    const { count } = await this.client.workflow.count(this.heldJourneys(heldNamed));
    return count;
  }

  /**
   * This deployment's running journeys holding a step, as visibility filters them: JourneyState `(held)`, or `held`
   * in a version that has no state of that name (in one that has, `held` is where a path waits: see HELD_STATE_APART).
   */
  private heldJourneys(heldNamed: HeldNamedVersions): string {
    const notAState = [...heldNamed]
      .map(([key, versions]) => ` AND (CampaignKey != ${visibilityString(key)} OR CampaignVersion NOT IN (${versions.map((v) => Math.trunc(v)).join(', ')}))`)
      .join('');
    const held = `(JourneyState = ${visibilityString(HELD_STATE_APART)} OR (JourneyState = ${visibilityString(HELD_STATE)}${notAState}))`;
    return `${this.ourJourneys()} AND ${held} AND ExecutionStatus = 'Running'`;
  }

  /**
   * This deployment's journeys: a namespace may hold another Kairos's (staging
   * beside production, each on its own TEMPORAL_TASK_QUEUE), whose held steps
   * and running counts are not this one's to show, nor its campaigns' that
   * share a key. A journey keeps its task queue across continue-as-new.
   */
  private ourJourneys(): string {
    return `WorkflowType = ${visibilityString(JOURNEY_WORKFLOW_TYPE)} AND TaskQueue = ${visibilityString(this.taskQueue)}`;
  }

  /**
   * Running journeys of a campaign, of one version when given (the
   * CampaignVersion search attribute set at start). Callers asking the same
   * within RUNNING_COUNT_SHARED_MS share one answer (SharedAnswers); it comes
   * within the deadline of the caller that asked first.
   */
  countRunning(campaignKey: string, version?: number): Promise<number> {
    const byVersion = version === undefined ? '' : ` AND CampaignVersion = ${Math.trunc(version)}`;
    const query = `${this.ourJourneys()} AND CampaignKey = ${visibilityString(campaignKey)}${byVersion} AND ExecutionStatus = 'Running'`;
    return this.runningCounts.get(query, async () => (await this.client.workflow.count(query)).count);
  }

  /**
   * Which of `workflowIds` have a running execution, or may have one: what
   * the retention job keeps for. Listed through visibility (one query per
   * hundred ids, each id an escaped literal: a user id with a `'` is listed
   * as any other). Visibility can list a running journey as not running: a
   * run that continues as new (journeys do, at a history length) closes, and
   * its next run starts, in two visibility writes, and while visibility is
   * behind these may be minutes apart. So each id not listed as running that
   * had a run close in the last CLOSED_LATELY_MS is described, which is exact
   * (it reads the workflow's current run), as is each id visibility cannot
   * match (one holding `"`, `\` or a control character such as a TAB or a
   * line break, or ending with a `'`: visibilityMatches): at most
   * DESCRIBES_PER_CALL of them together, DESCRIBES_IN_FLIGHT at once, the
   * rest counted as running, for a later call to settle. So a call costs a
   * bounded number of describes whatever its ids. Other ids cost no call:
   * their journeys closed long ago, or have not been seen to start, which a
   * journey started minutes ago may not be (the retention job keeps an event
   * delivered in the last five minutes for that).
   */
  async running(workflowIds: Iterable<string>, now = Date.now()): Promise<Set<string>> {
    const ids = [...new Set(workflowIds)];
    const running = new Set<string>();
    const closedLately = new Set<string>();
    // One query answers both: the runs listed as running, and those closed lately.
    const since = new Date(now - CLOSED_LATELY_MS).toISOString();
    const listable = ids.filter(visibilityMatches);
    for (let i = 0; i < listable.length; i += IDS_PER_QUERY) {
      const chunk = listable.slice(i, i + IDS_PER_QUERY);
      const query = `WorkflowId IN (${chunk.map(visibilityString).join(', ')}) AND (ExecutionStatus = 'Running' OR CloseTime > '${since}')`;
      for await (const wf of this.client.workflow.list({ query })) (wf.status.name === 'RUNNING' ? running : closedLately).add(wf.workflowId);
    }
    const unsure = [...[...closedLately].filter((id) => !running.has(id)), ...ids.filter((id) => !visibilityMatches(id))];
    for (const id of unsure.slice(DESCRIBES_PER_CALL)) running.add(id);
    const described = unsure.slice(0, DESCRIBES_PER_CALL);
    for (let i = 0; i < described.length; i += DESCRIBES_IN_FLIGHT) {
      const chunk = described.slice(i, i + DESCRIBES_IN_FLIGHT);
      const runs = await Promise.all(chunk.map((id) => this.runsNow(id)));
      for (const [n, id] of chunk.entries()) if (runs[n]) running.add(id);
    }
    return running;
  }

  /** Whether the workflow's current run is running, as Temporal itself says (not visibility); false when it never ran or is gone. */
  private async runsNow(workflowId: string): Promise<boolean> {
    const status = await this.describe(workflowId)
      .then((d) => d.status.name)
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return 'NOT_FOUND';
        throw err;
      });
    return status === 'RUNNING';
  }

  private startMemoName(d: JourneyRef): { campaignName?: string } {
    const name = this.campaignName(d.campaignKey, d.campaignVersion);
    return name === undefined ? {} : { campaignName: name };
  }

  private startOptions(workflowId: string, d: JourneyRef) {
    return {
      workflowId,
      taskQueue: this.taskQueue,
      // A task that must replay a long run on a busy worker can take more than
      // the default 10 s; timing it out only makes the next attempt replay again.
      workflowTaskTimeout: '30 seconds' as const,
      args: [{ version: 1 as const, campaignKey: d.campaignKey, campaignVersion: d.campaignVersion, userId: d.userId }] as Parameters<JourneyWorkflow>,
      typedSearchAttributes: [
        { key: campaignKeySearchAttribute, value: d.campaignKey },
        { key: userIdSearchAttribute, value: d.userId },
        { key: campaignVersionSearchAttribute, value: d.campaignVersion },
      ],
      // With the name, a journey finds its memo complete and writes none (a history event and a visibility write less).
      memo: { campaignKey: d.campaignKey, campaignVersion: d.campaignVersion, ...this.startMemoName(d) },
      // What the Temporal UI lists for the journey; written once, with the start.
      staticSummary: journeySummary(d),
      staticDetails: journeyDetails(d),
    };
  }
}

/**
 * The event as a delivery of `kind` sends it: a start delivery says which
 * version the API routed it to, so that a journey already running, idle on
 * another version, enters the user on that one (activation points new
 * entries at a version, CAMPAIGNS.md); a signal delivery says it is one, so
 * that the journey takes it as no entry (the campaign is paused, or the type
 * starts none on the active version). signalWithStart ignores its start
 * arguments when the journey runs: the signal is the only thing that reaches it.
 */
export function routedEvent(event: JourneyEvent, d: { kind: 'start' | 'signal'; campaignVersion: number }): JourneyEvent {
  const { campaignVersion: _unrouted, delivery: _undelivered, ...plain } = event;
  return d.kind === 'start' ? { ...plain, campaignVersion: d.campaignVersion } : { ...plain, delivery: 'signal' };
}

/** `<campaign> v<n> · user <id>`: the line the Temporal UI shows for a journey. */
export function journeySummary(d: JourneyRef): string {
  return `${d.campaignKey} v${d.campaignVersion} · user ${d.userId}`;
}

function journeyDetails(d: JourneyRef): string {
  return [
    `**Campaign** ${d.campaignKey}, version ${d.campaignVersion} (pinned for this journey)`,
    `**User** ${d.userId}`,
    `Current state, waits, timers and held steps: this journey's current details; the decision trace: its \`state\` query.`,
  ].join('\n\n');
}
