/**
 * A header value carries only visible ASCII (fetch and Node refuse anything
 * else), so an id such as `用户1` is percent-encoded as UTF-8: `%E7%94%A8%E6%88%B71`.
 * Visible ASCII other than `%` stays as it is, so existing ASCII keys read the
 * same; `decodeURIComponent` gives the id back.
 */
export function headerSafe(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0x20 && code < 0x7f && ch !== '%') out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
