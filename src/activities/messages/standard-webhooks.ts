import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, so a receiver that
 * checks the timestamp against a tolerance window refuses a replay, and one
 * that remembers `webhook-id` drops a redelivery.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * The id of one delivery: the same on every retry (derived from what the
 * outbox row is keyed by), ASCII whatever the user id, and not revealing it.
 */
export function webhookId(kind: 'message' | 'webhook', idempotencyKey: string): string {
  return `msg_${createHash('sha256').update(`${kind}\n${idempotencyKey}`, 'utf8').digest('base64url').slice(0, 32)}`;
}

/** A `whsec_` secret is base64 key bytes (the spec's form); any other string is used as its UTF-8 bytes. */
export function signer(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

/** The three headers for one attempt; `now` is the attempt's time (a retry is signed afresh, with the same id and body). */
export function standardWebhookHeaders(id: string, payload: string, secret: string | undefined, now: Date): Record<string, string> {
  const headers: Record<string, string> = {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
  };
  if (secret) headers[WEBHOOK_SIGNATURE_HEADER] = signer(secret).sign(id, now, payload);
  return headers;
}
