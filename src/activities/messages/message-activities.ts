import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { activityLog } from '../activity-log';
import type { DataSource } from 'typeorm';
import type { AllowedHost, MessageWebhooks } from '../../config/config';
import { DispatchesRepository, type DispatchRow, type DispatchTable } from '../../store/repositories/dispatches.repository';
import { countInActivity } from '../activity-metrics';
import { nextDeliveryDelayMs, postSigned } from './post-signed';
import { webhookId } from './standard-webhooks';
import { withoutCredentials } from '../../domain/url-credentials';
import { quietHoursEnd, type QuietClock } from '../../domain/machine/quiet-hours';
import { DELIVERY_MAX_ATTEMPTS } from '../../domain/machine/delivery-attempts';
import { Backoff } from '../../retry/backoff';

export { SIGNATURE_HEADER, signBody, verifySignature } from './signature';
export { webhookId, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './standard-webhooks';

export interface MessageActivityDeps {
  dataSource: DataSource;
  /** Channel → receiver; a channel without one keeps its messages stored (table messages). */
  messageWebhooks?: MessageWebhooks;
  /** Signs webhook actions; unset: they go unsigned. */
  webhookSecret?: string;
  /** Per request; 10 s by default. */
  webhookTimeoutMs?: number;
  /**
   * Hosts (WEBHOOK_ALLOWED_HOSTS) that campaign webhook steps may reach at
   * loopback, private or other non-public addresses; every other host must
   * resolve to public ones. A channel's own gateway (messageWebhooks) is
   * exempt for its messages without being listed, and only for them.
   */
  webhookAllowedHosts?: readonly AllowedHost[];
}

export interface SendMessageInput {
  idempotencyKey: string;
  campaignKey: string;
  userId: string;
  channel: string;
  template: string;
  /** Rendered template data (expressions already evaluated by the journey). */
  data?: Record<string, unknown>;
  causedBy?: string[];
  /**
   * The campaign's quiet hours (schedule.quietHours, in its time zone): an
   * attempt inside them sends nothing and is tried again when they end, so a
   * retry or an operator's retry cannot send in them either. Journeys from
   * before patch quiet-hours-every-attempt do not pass it.
   */
  quietHours?: MessageQuietHours;
}

/** Quiet hours as a message's activity checks them: the window's clock times (minutes after local midnight), and the zone. */
export interface MessageQuietHours extends QuietClock {
  timezone: string;
}

export interface CallWebhookInput {
  idempotencyKey: string;
  url: string;
  body?: unknown;
  campaignKey?: string;
  userId?: string;
  causedBy?: string[];
}

export interface DeliveryResult {
  /** sent: the receiver answered 2xx (now or on an earlier attempt); stored: no webhook for the channel. */
  status: 'sent' | 'stored';
  attempts: number;
  httpStatus: number | null;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** What a send's claim allows beyond its lookup and POST: the database writes around them. */
const CLAIM_MARGIN_MS = 30_000;
/** Recording a delivery the receiver took stops trying this long before its claim would lapse. */
const CLAIM_END_MARGIN_MS = 5_000;
/** The first and the longest wait between tries of recording a delivery the receiver took. */
const RECORD_SENT_FIRST_WAIT_MS = 200;
const RECORD_SENT_MAX_WAIT_MS = 5_000;

/**
 * `record`, tried again while it fails (a PostgreSQL failover, a dropped connection) until `until` (ms since the
 * epoch): the claim's end, less a margin. Given up sooner, the attempt would fail and its retry send again once the
 * claim lapsed; until then the claim keeps every other attempt away, so waiting costs nothing.
 */
async function recordSent<T>(record: () => Promise<T>, until: number): Promise<T> {
  const backoff = new Backoff(RECORD_SENT_FIRST_WAIT_MS, RECORD_SENT_MAX_WAIT_MS);
  for (;;) {
    try {
      return await record();
    } catch (err) {
      const waitMs = backoff.next();
      if (Date.now() + waitMs >= until) throw err;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * This attempt's number, 1 for the first (what `Context.current().info.attempt`
 * says), read from the SDK's context store as activity-log.ts does; 1 outside
 * an activity (ledger tests, benches).
 */
const currentAttempt = (): number => asyncLocalStorage.getStore()?.info.attempt ?? 1;

/** Whether Temporal tries this delivery again after this attempt fails (the journey's delivery profile), or holds it. */
const isLastAttempt = (): boolean => currentAttempt() >= DELIVERY_MAX_ATTEMPTS;
const lastAttemptWords = (): string => `attempt ${currentAttempt()} of ${DELIVERY_MAX_ATTEMPTS}`;

export function createMessageActivities(deps: MessageActivityDeps) {
  const dispatches = new DispatchesRepository(deps.dataSource);
  const timeoutMs = deps.webhookTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowedHosts = deps.webhookAllowedHosts ?? [];
  // Outlasts one attempt's send: its address lookup and its POST, each bounded by the timeout, and its records.
  const claimLeaseMs = 2 * timeoutMs + CLAIM_MARGIN_MS;

  /**
   * One attempt for a stored row, its outcome recorded on the row. A failure
   * that may pass later throws a retryable failure (Temporal retries); a
   * refusal (by the receiver, or of the address before any connection)
   * throws a non-retryable one, and the journey holds the step.
   */
  async function deliver(
    table: DispatchTable,
    row: DispatchRow,
    url: string,
    secret: string | undefined,
    count: (outcome: 'sent' | 'retrying' | 'rejected' | 'refused') => void,
    // How a failure names the receiver: a configured URL may carry its token, and failures are shown to support.
    shownAs: string,
    // `url` is the operator's gateway from MESSAGE_WEBHOOKS, exempt from the address check; never campaign text.
    configuredGateway: boolean,
  ): Promise<DeliveryResult> {
    if (row.status === 'sent') return { status: 'sent', attempts: row.attempts, httpStatus: row.lastStatus };
    // One send at a time per key: an attempt started while another is sending (a run continued as new meanwhile,
    // an attempt that outlived its timeout) waits for its outcome rather than POSTing the same delivery again.
    const claimedAt = Date.now();
    const claim = await dispatches.claim(table, row.id, claimLeaseMs);
    if (!claim.claimed) {
      if (claim.row.status === 'sent') return { status: 'sent', attempts: claim.row.attempts, httpStatus: claim.row.lastStatus };
      throw ApplicationFailure.create({
        type: 'DeliveryInFlight',
        message: isLastAttempt()
          ? `${table === 'messages' ? 'message' : 'webhook'} ${row.idempotencyKey}: another attempt is sending it, and this was the last attempt (${lastAttemptWords()}): the step is held; Retry it once that attempt's claim ends (in ${Math.ceil(Math.max(1_000, claim.leftMs) / 1_000)} s) to see its outcome (a delivery sent meanwhile is not sent again)`
          : `${table === 'messages' ? 'message' : 'webhook'} ${row.idempotencyKey}: another attempt is sending it; this one looks again when its claim ends`,
        nextRetryDelay: Math.max(1_000, claim.leftMs),
      });
    }
    const result = await postSigned({
      url,
      payload: row.payload,
      secret,
      idempotencyKey: row.idempotencyKey,
      webhookId: webhookId(table === 'messages' ? 'message' : 'webhook', row.idempotencyKey),
      timeoutMs,
      allowedHosts,
      configuredGateway,
    });
    if (result.ok) {
      // The receiver has it: failing now would send it again once the claim lapses, so the record is retried here.
      const done = await recordSent(
        () => dispatches.recordAttempt(table, row.id, { status: 'sent', httpStatus: result.status, error: null }, claim.token),
        claimedAt + claimLeaseMs - CLAIM_END_MARGIN_MS,
      );
      count('sent');
      // Not recorded: an earlier write of this 2xx landed after all, or another attempt's did; the row says which.
      return { status: 'sent', attempts: done.row.attempts, httpStatus: done.recorded ? result.status : done.row.lastStatus };
    }
    const failed = await dispatches.recordAttempt(
      table,
      row.id,
      { status: result.retryable ? 'retrying' : 'rejected', httpStatus: result.status, error: result.error },
      claim.token,
    );
    // This attempt outlived its claim and another one sent the delivery meanwhile: that is the outcome.
    if (failed.row.status === 'sent') return { status: 'sent', attempts: failed.row.attempts, httpStatus: failed.row.lastStatus };
    count(result.retryable ? 'retrying' : result.status === null ? 'refused' : 'rejected');
    const message = `${table === 'messages' ? 'message' : 'webhook'} ${row.idempotencyKey} to ${shownAs}: ${result.error} (attempt ${failed.row.attempts})`;
    throw ApplicationFailure.create({
      // DestinationRefused: the address was refused before any connection (not public, not http(s)).
      type: result.retryable ? 'DeliveryFailed' : result.status === null ? 'DestinationRefused' : 'DeliveryRejected',
      message,
      nonRetryable: !result.retryable,
      // A receiver's Retry-After (429, 503; clamped to 1 s .. 1 h) lengthens the backoff before the next attempt, never shortens it.
      ...(result.retryable && result.retryAfterMs !== undefined ? { nextRetryDelay: nextDeliveryDelayMs(result.retryAfterMs, currentAttempt()) } : {}),
      details: [{ httpStatus: result.status }],
    });
  }

  return {
    /** Records the message once per key and, when its channel has a webhook, delivers it signed. */
    async sendMessage({ quietHours, ...input }: SendMessageInput): Promise<DeliveryResult> {
      const hook = deps.messageWebhooks?.[input.channel as keyof MessageWebhooks];
      const quiet = quietHoursFailure(input.idempotencyKey, quietHours);
      if (quiet) {
        // Quiet hours hold back sending; a retry of a message already delivered sends nothing, so it answers
        // now rather than after the window. Read only: for a channel without a webhook, the insert is the delivery.
        const delivered = deliveredAlready(await dispatches.findMessage(input.idempotencyKey), hook !== undefined);
        if (delivered) return delivered;
        throw quiet;
      }
      const data = input.data ?? {};
      const causedBy = input.causedBy ?? [];
      const payload = JSON.stringify({
        idempotencyKey: input.idempotencyKey,
        campaignKey: input.campaignKey,
        userId: input.userId,
        channel: input.channel,
        template: input.template,
        data,
        causedBy,
      });
      const row = await dispatches.putMessage({ ...input, data, causedBy, payload });
      activityLog()?.debug('sending message', { idempotencyKey: input.idempotencyKey, channel: input.channel, causedBy });
      const count = (outcome: string) =>
        countInActivity('kairos_messages_total', 'Message attempts by channel and outcome (sent, stored: no webhook for the channel, retrying, rejected, refused).', {
          channel: input.channel,
          outcome,
        });
      if (!hook) {
        if (row.status === 'sent') return { status: 'sent', attempts: row.attempts, httpStatus: row.lastStatus };
        const stored = await dispatches.markStored(row.id);
        // Sent meanwhile by a worker whose configuration had a webhook for the channel: it stays sent.
        if (stored.status === 'sent') return { status: 'sent', attempts: stored.attempts, httpStatus: stored.lastStatus };
        count('stored');
        return { status: 'stored', attempts: stored.attempts, httpStatus: null };
      }
      // The gateway's URL is the operator's (MESSAGE_WEBHOOKS), so it may sit on a private address unlisted;
      // a campaign's webhook step to the same host is still bound by WEBHOOK_ALLOWED_HOSTS (callWebhook).
      return deliver('messages', row, hook.url, hook.secret, count, channelHook(input.channel, hook.url), true);
    },

    /** POSTs `body` (JSON) to `url` once per key, signed with WEBHOOK_SECRET. */
    async callWebhook(input: CallWebhookInput): Promise<DeliveryResult> {
      const row = await dispatches.putWebhookCall({
        idempotencyKey: input.idempotencyKey,
        campaignKey: input.campaignKey ?? null,
        userId: input.userId ?? null,
        url: input.url,
        causedBy: input.causedBy ?? [],
        payload: JSON.stringify(input.body ?? {}),
      });
      activityLog()?.debug('calling webhook', { idempotencyKey: input.idempotencyKey, causedBy: input.causedBy ?? [] });
      return deliver('webhook_calls', row, input.url, deps.webhookSecret, (outcome) =>
        countInActivity('kairos_webhooks_total', 'Webhook action attempts by campaign and outcome (sent, retrying, rejected, refused).', {
          campaign: input.campaignKey ?? 'none',
          outcome,
        }),
        // The campaign's own URL: its author and the step summary show it already.
        withoutCredentials(input.url),
        false,
      );
    },
  };
}

export type MessageActivities = ReturnType<typeof createMessageActivities>;

/**
 * Inside quiet hours: a retryable failure whose next attempt comes when they
 * end. The journey's own wait covers the first attempt; this covers the
 * attempts after it (Temporal's retries, an operator's retry of a held
 * message), which would otherwise send whenever they came.
 */
function quietHoursFailure(idempotencyKey: string, quiet: MessageQuietHours | undefined): ApplicationFailure | undefined {
  if (!quiet) return undefined;
  const now = Date.now();
  const end = quietHoursEnd(now, quiet, quiet.timezone);
  if (end === null) return undefined;
  const until = new Date(end).toISOString();
  return ApplicationFailure.create({
    type: 'QuietHours',
    // The last attempt has no next one: the step is held, and only an operator's retry sends it.
    message: isLastAttempt()
      ? `message ${idempotencyKey}: quiet hours until ${until}, and this was its last attempt (${lastAttemptWords()}): the step is held; Retry sends it once they end (a retry pressed inside them waits for them)`
      : `message ${idempotencyKey}: quiet hours until ${until}; it is sent when they end`,
    nextRetryDelay: Math.max(1_000, end - now),
  });
}

/**
 * What an attempt answers without sending for a message whose delivery is
 * done: sent, or stored when its channel has no webhook (with one, a stored
 * message is still to be POSTed). Undefined when it is still to be delivered.
 */
function deliveredAlready(row: DispatchRow | undefined, hasWebhook: boolean): DeliveryResult | undefined {
  if (row?.status === 'sent') return { status: 'sent', attempts: row.attempts, httpStatus: row.lastStatus };
  if (row?.status === 'stored' && !hasWebhook) return { status: 'stored', attempts: row.attempts, httpStatus: null };
  return undefined;
}

/**
 * A message webhook as a failure names it: its channel and host only. Its URL
 * comes from MESSAGE_WEBHOOKS, and a gateway's path or query often carries
 * its token (`?api_key=`, a Slack-style path), which support staff and
 * Temporal's history must not see; the host still says which gateway failed.
 */
function channelHook(channel: string, url: string): string {
  return `the ${channel} webhook (${URL.canParse(url) ? new URL(url).host : 'its configured URL'})`;
}
