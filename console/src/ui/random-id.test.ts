import { randomId } from './random-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  it('draws a version 4 UUID from getRandomValues alone, as a page served over plain HTTP (no crypto.randomUUID) has it', () => {
    // What an insecure context offers: getRandomValues, and no randomUUID.
    const insecure = { getRandomValues: (array: Uint8Array) => globalThis.crypto.getRandomValues(array) };
    const ids = new Set(Array.from({ length: 200 }, () => randomId(insecure)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('sets the version and variant bits whatever the bytes are', () => {
    const fill = (value: number) => ({ getRandomValues: (array: Uint8Array) => array.fill(value) });
    expect(randomId(fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(randomId(fill(0))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('works with crypto.randomUUID missing from the global crypto (the TopUpForm used to call it and broke the Pools page)', () => {
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(randomId()).toMatch(UUID_V4);
    } finally {
      delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID; // the prototype's, Node's own, shows again
    }
  });
});
