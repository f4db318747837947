import type { MessageProperties, Options } from 'amqplib';

/** Header carrying why a message was dead-lettered. */
export const REASON_HEADER = 'x-kairos-reason';
/** The message's `user_id` property, which the dead letter cannot carry as a property (see deadLetterProperties). */
export const ORIGINAL_USER_ID_HEADER = 'x-kairos-original-user-id';
/** Set instead of the publisher's headers when they were too large to copy beside Kairos's own. */
export const HEADERS_OMITTED_HEADER = 'x-kairos-headers-omitted';

/**
 * The most a message's headers may take encoded: amqplib (0.10) encodes
 * them into one fixed 64 KiB buffer. Past it, `publish` throws after it
 * has queued the confirm callback (every later confirm on the channel then
 * answers the publish before it), or, when the last value is a string that
 * is cut short, sends a malformed frame.
 */
export const MAX_HEADER_BYTES = 65_536;

/** amqplib's own table encoder, the one `publish` runs: its typings leave it out. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeTable } = require('amqplib/lib/codec') as { encodeTable(buffer: Buffer, table: object, offset: number): number };

/** Room to weigh headers larger than the limit: a publisher may send up to the broker's frame_max (128 KiB by default). */
let scratch: Buffer | undefined;

/** How many bytes amqplib encodes `headers` into; null when more than the scratch holds, or a value it cannot encode. */
export function encodedHeaderBytes(headers: object): number | null {
  scratch ??= Buffer.alloc(4 * MAX_HEADER_BYTES);
  try {
    const bytes = encodeTable(scratch, headers, 0);
    return bytes <= scratch.length ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * A dead letter's properties: the message's own, with Kairos's headers
 * (`ours`) beside the publisher's, but without
 * - `expiration`: the publisher's per-message TTL would take the dead letter
 *   out of `<queue>.dlq` before anyone read it;
 * - `userId`: RabbitMQ checks it against the user a connection logged in
 *   as, and refuses the publish (406, closing the channel) when it is a
 *   publisher's own; it goes in header `x-kairos-original-user-id` instead.
 * When the publisher's headers and Kairos's together are more than amqplib
 * can encode, the publisher's are left out, and header
 * `x-kairos-headers-omitted` says how large they were: such a message could
 * otherwise never be dead-lettered.
 */
export function deadLetterProperties(properties: MessageProperties, ours: Record<string, string>): Options.Publish & { headers: Record<string, unknown> } {
  const { expiration: _expiration, userId, headers: theirs, ...kept } = properties;
  const kairos = userId === undefined ? ours : { ...ours, [ORIGINAL_USER_ID_HEADER]: String(userId) };
  const headers = { ...theirs, ...kairos };
  const bytes = encodedHeaderBytes(headers);
  if (bytes !== null && bytes <= MAX_HEADER_BYTES) return { ...kept, headers };
  const theirBytes = encodedHeaderBytes(theirs ?? {});
  const size = theirBytes === null ? `more than ${4 * MAX_HEADER_BYTES} bytes (or values amqplib cannot encode)` : `${theirBytes} bytes`;
  return { ...kept, headers: { ...kairos, [HEADERS_OMITTED_HEADER]: `${size} of headers, too large to copy with the reason` } };
}
