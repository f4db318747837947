/** What randomId needs of Web Crypto: getRandomValues, which (unlike randomUUID) browsers give insecure contexts too. */
export interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/**
 * A random (version 4) UUID, for ids the console draws itself (a top-up's).
 * Built from crypto.getRandomValues, not crypto.randomUUID: browsers offer
 * randomUUID only in secure contexts (HTTPS, or http://localhost), so the
 * console served over plain HTTP from another machine (HOST=0.0.0.0) has
 * none, and calling it broke the page that asked.
 */
export function randomId(source: RandomSource = globalThis.crypto): string {
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
