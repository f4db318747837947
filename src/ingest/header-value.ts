/** At most this many UTF-16 code units of a reason go in a dead letter's header (at most 6 KB of UTF-8). */
export const MAX_HEADER_VALUE_CHARS = 2000;

/**
 * Control characters (C0 with CR, LF and tab, DEL, C1) and Unicode's line and
 * paragraph separators: nats.js refuses a header value with CR or LF (a
 * BadHeader error, so the dead letter could never be published), and none of
 * them belongs on a header line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text (a dead letter's reason, which may quote a message's own lines) as a
 * header value every broker takes: each run of control characters or line
 * separators becomes one space, the ends are trimmed, and at most `max`
 * UTF-16 code units are kept, never half a surrogate pair.
 */
export function headerValue(text: string, max = MAX_HEADER_VALUE_CHARS): string {
  const flat = text.replace(BREAKS, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = isHighSurrogate(flat.charCodeAt(max - 1)) ? max - 1 : max;
  return flat.slice(0, cut).trimEnd();
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
