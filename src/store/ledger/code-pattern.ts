/**
 * Generated coupon codes. A pattern is literal text with placeholders:
 * `#` a digit and `?` a letter (`SAVE-####-????`); a pattern without either
 * uses the schema's notation instead, `X` a letter or digit and `9` a digit.
 *
 * Codes are unique by construction, not by retrying, and no code tells
 * another. The pattern spells N codes, numbered in mixed radix (the last
 * placeholder varies fastest, like the last digit of a number). Each
 * generation draws a fresh random key, kept nowhere, and spells P(0), P(1),
 * P(2), … where P is a keyed permutation of [0, N): a 10-round Feistel
 * network over k-bit numbers, 2^k the smallest power of two ≥ N (at least 4),
 * with AES-128 as round function; a number that lands at or past N goes
 * through the network again (cycle-walking) until it falls below N, which
 * keeps P a bijection on [0, N). So a walk spells every code once and, after
 * N codes, nothing more; and as far as AES is a pseudorandom function, the
 * codes of a pool tell nothing about its other codes but that they differ.
 * A pattern with few codes is still easy to guess by trying them all.
 *
 * The work is done a batch at a time, in typed arrays of 32-bit words: each
 * round runs the whole batch through AES-ECB at once (one pass up to 192
 * bits, a few for the widest patterns: 100 placeholders make over 500 bits),
 * and a batch is spelled into one buffer, decoded once and cut into codes.
 */
import { createCipheriv, randomBytes, type Cipher } from 'node:crypto';
import { endianness } from 'node:os';

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ROUNDS = 10;
const BLOCK = 16;
const WORD = 2 ** 32;

type Slot = string | { alphabet: string };

export interface CodePattern {
  slots: Slot[];
  /** How many distinct codes the pattern can spell. */
  capacity: bigint;
}

export function parseCodePattern(pattern: string): CodePattern {
  const hashNotation = /[#?]/.test(pattern);
  const placeholders: Record<string, string> = hashNotation ? { '#': DIGITS, '?': LETTERS } : { X: LETTERS + DIGITS, '9': DIGITS };
  const slots: Slot[] = [...pattern].map((ch) => (placeholders[ch] ? { alphabet: placeholders[ch] } : ch));
  const capacity = slots.reduce((n, s) => (typeof s === 'string' ? n : n * BigInt(s.alphabet.length)), 1n);
  return { slots, capacity };
}

/** The secret that orders one generation's codes: two AES-128 keys (the round function's, and its stretching's past 128 bits). */
export type CodeKey = Uint8Array;

/** A fresh key: one a generation, kept nowhere. */
export function randomCodeKey(): CodeKey {
  return randomBytes(2 * BLOCK);
}

function aes(key: Uint8Array): Cipher {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return cipher;
}

/** Spells codes from their numbers, the last placeholder varying fastest. */
interface Speller {
  /** Numbers below 2^53. */
  numbers(xs: ArrayLike<number>): string[];
  /** The numbers hi·2^v + lo, each half `width` words a number, least significant first. */
  halves(hi: Uint32Array, lo: Uint32Array, width: number, v: number): string[];
}

/**
 * Every code has the same length, so a batch is written into one buffer from
 * a template, decoded once, and cut into codes.
 */
function speller(p: CodePattern): Speller {
  const template = p.slots.map((s) => (typeof s === 'string' ? s : s.alphabet[0])).join('');
  const length = template.length; // UTF-16 units: a literal may take two
  const units = Uint16Array.from({ length }, (_, i) => template.charCodeAt(i));
  const twoByte = units.some((c) => c > 0xff);
  // The placeholders from the last: where each goes and what it may write.
  const at: number[] = [];
  const alphabets: Uint16Array[] = [];
  let unit = 0;
  for (const s of p.slots) {
    if (typeof s !== 'string') {
      at.unshift(unit);
      alphabets.unshift(Uint16Array.from(s.alphabet, (ch) => ch.charCodeAt(0)));
    }
    unit += typeof s === 'string' ? s.length : 1;
  }
  const radix = alphabets.map((a) => a.length);
  const count = radix.length;
  // Runs of placeholders whose product stays below 2^21, so that a remainder and a word make an exact number.
  const runs: { from: number; to: number; size: number }[] = [];
  for (let j = 0; j < count; ) {
    let size = 1;
    const from = j;
    while (j < count && size * radix[j] <= 2 ** 21) size *= radix[j++];
    runs.push({ from, to: j, size });
  }

  const batch = (n: number, write: (chars: Uint8Array | Uint16Array, code: number, offset: number) => void): string[] => {
    const chars = twoByte ? new Uint16Array(n * length) : new Uint8Array(n * length);
    if (n > 0) {
      chars.set(units);
      for (let filled = length; filled < chars.length; filled *= 2) chars.copyWithin(filled, 0, Math.min(filled, chars.length - filled));
    }
    for (let j = 0; j < n; j++) write(chars, j, j * length);
    const bytes = Buffer.from(chars.buffer, chars.byteOffset, chars.byteLength);
    if (twoByte && endianness() === 'BE') bytes.swap16();
    const text = bytes.toString(twoByte ? 'utf16le' : 'latin1');
    const out = new Array<string>(n);
    for (let j = 0; j < n; j++) out[j] = text.slice(j * length, (j + 1) * length);
    return out;
  };
  /** Placeholders [from, to) from the value x < the product of their radices. */
  const fill = (chars: Uint8Array | Uint16Array, offset: number, x: number, from: number, to: number): void => {
    for (let j = from; j < to; j++) {
      const r = radix[j];
      const d = x % r;
      chars[offset + at[j]] = alphabets[j][d];
      x = (x - d) / r;
    }
  };
  return {
    numbers: (xs) => batch(xs.length, (chars, j, offset) => fill(chars, offset, xs[j], 0, count)),
    halves(hi, lo, width, v) {
      const x = new Uint32Array(2 * width + 1);
      return batch(hi.length / width, (chars, j, offset) => {
        // x = hi·2^v + lo in words: lo has v bits, so hi's words land past them.
        x.fill(0);
        for (let q = 0; q < width; q++) x[q] = lo[j * width + q];
        for (let q = 0; q < width; q++) {
          const word = hi[j * width + q];
          const to = (v >> 5) + q;
          const shift = v & 31;
          x[to] |= word << shift;
          if (shift > 0) x[to + 1] |= word >>> (32 - shift);
        }
        let top = x.length - 1;
        for (const run of runs) {
          // x /= run.size, from the top word down; what remains spells the run.
          let rest = 0;
          while (top > 0 && x[top] === 0) top--;
          for (let q = top; q >= 0; q--) {
            const current = rest * WORD + x[q];
            const quotient = Math.floor(current / run.size);
            x[q] = quotient;
            rest = current - quotient * run.size;
          }
          fill(chars, offset, rest, run.from, run.to);
        }
      });
    },
  };
}

/** A buffer's bytes as words, copied when the buffer does not start on a word. */
function words(b: Buffer): Uint32Array {
  if (b.byteOffset % 4 !== 0) b = Buffer.from(b);
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** x as `count` 32-bit words, the least significant first. */
function wordsOf(x: bigint, count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, q) => Number((x >> BigInt(32 * q)) & 0xffffffffn));
}

/**
 * The keyed permutation of [0, N), N ≥ 2, applied to a batch of positions.
 * A number x < 2^k is split into hi, its top u bits, and lo, its low v bits
 * (u = ⌊k/2⌋, v = k − u). A round sets (hi, lo) to (lo, hi ⊕ F(r, lo)), F cut
 * to hi's width; the widths swap each round and are back after the tenth.
 * Each half is kept as `width` 32-bit words, least significant first.
 * F(r, lo) is the AES CBC-MAC of [r, lo's words], zero-padded to whole blocks
 * (every message of a generation has the same length), under the first key:
 * one block while lo takes 3 words or fewer. Past 128 bits (patterns over 256
 * bits) it is stretched by encrypting it ⊕ 0, 1, … under the second key.
 */
function permutation(capacity: bigint, key: CodeKey): (positions: Float64Array) => { hi: Uint32Array; lo: Uint32Array; width: number; v: number } {
  const k = Math.max(2, bitLength(capacity - 1n));
  const u = k >> 1;
  const v = k - u;
  const width = Math.ceil(v / 32);
  const inBlocks = Math.ceil((1 + width) / 4);
  const last = capacity - 1n;
  const lastHi = wordsOf(last >> BigInt(v), width);
  const lastLo = wordsOf(last & ((1n << BigInt(v)) - 1n), width);
  const mac = aes(key.subarray(0, BLOCK));
  const stretch = aes(key.subarray(BLOCK, 2 * BLOCK));

  /** Whether the number at j lies past the capacity: compared word by word from the top. */
  const outside = (hi: Uint32Array, lo: Uint32Array, j: number): boolean => {
    for (let q = width - 1; q >= 0; q--) if (hi[j * width + q] !== lastHi[q]) return hi[j * width + q] > lastHi[q];
    for (let q = width - 1; q >= 0; q--) if (lo[j * width + q] !== lastLo[q]) return lo[j * width + q] > lastLo[q];
    return false;
  };

  /** Ten rounds over n numbers, in place. The words' byte order in AES blocks does not matter, only that it stays. */
  const encrypt = (hi: Uint32Array, lo: Uint32Array, n: number): void => {
    const message = new Uint32Array(inBlocks * n * 4); // block-major: every number's first block, then every second block…
    const first = Buffer.from(message.buffer, 0, n * BLOCK);
    for (let r = 0; r < ROUNDS; r++) {
      const bits = r % 2 === 0 ? u : v;
      const outWords = Math.ceil(bits / 32);
      const cut = 32 * outWords - bits;
      if (width === 1) {
        for (let j = 0; j < n; j++) {
          message[j * 4] = r;
          message[j * 4 + 1] = lo[j];
        }
      } else {
        for (let j = 0; j < n; j++) {
          message[j * 4] = r;
          for (let q = 0; q < width; q++) message[(((q + 1) >> 2) * n + j) * 4 + ((q + 1) & 3)] = lo[j * width + q];
        }
      }
      let tag = words(mac.update(first));
      for (let b = 1; b < inBlocks; b++) {
        const chained = new Uint32Array(n * 4);
        for (let t = 0; t < n * 4; t++) chained[t] = tag[t] ^ message[b * n * 4 + t];
        tag = words(mac.update(Buffer.from(chained.buffer)));
      }
      const f: Uint32Array[] = [];
      if (outWords <= 4) f.push(tag);
      else {
        for (let c = 0; c < Math.ceil(outWords / 4); c++) {
          const counted = tag.slice();
          for (let j = 0; j < n; j++) counted[j * 4 + 3] ^= c;
          f.push(words(stretch.update(Buffer.from(counted.buffer))));
        }
      }
      if (width === 1) {
        for (let j = 0; j < n; j++) hi[j] ^= tag[j * 4] >>> cut;
      } else {
        for (let j = 0; j < n; j++) {
          for (let q = 0; q < outWords - 1; q++) hi[j * width + q] ^= f[q >> 2][j * 4 + (q & 3)];
          hi[j * width + outWords - 1] ^= f[(outWords - 1) >> 2][j * 4 + ((outWords - 1) & 3)] >>> cut;
        }
      }
      [hi, lo] = [lo, hi];
    }
  };

  return (positions) => {
    const n = positions.length;
    const hi = new Uint32Array(n * width);
    const lo = new Uint32Array(n * width);
    const split = 2 ** Math.min(v, 53);
    for (let j = 0; j < n; j++) {
      // Positions are below 2^53: no walk outgrows them.
      const h = Math.floor(positions[j] / split);
      const l = positions[j] - h * split;
      hi[j * width] = h % WORD;
      lo[j * width] = l % WORD;
      if (width > 1) {
        hi[j * width + 1] = Math.floor(h / WORD);
        lo[j * width + 1] = Math.floor(l / WORD);
      }
    }
    encrypt(hi, lo, n);
    // Cycle-walking: what landed past the capacity goes through again, a shrinking batch at a time.
    let again: number[] = [];
    for (let j = 0; j < n; j++) if (outside(hi, lo, j)) again.push(j);
    while (again.length > 0) {
      const h = new Uint32Array(again.length * width);
      const l = new Uint32Array(again.length * width);
      for (let i = 0; i < again.length; i++) {
        for (let q = 0; q < width; q++) {
          h[i * width + q] = hi[again[i] * width + q];
          l[i * width + q] = lo[again[i] * width + q];
        }
      }
      encrypt(h, l, again.length);
      const still: number[] = [];
      for (let i = 0; i < again.length; i++) {
        for (let q = 0; q < width; q++) {
          hi[again[i] * width + q] = h[i * width + q];
          lo[again[i] * width + q] = l[i * width + q];
        }
        if (outside(h, l, i)) still.push(again[i]);
      }
      again = still;
    }
    return { hi, lo, width, v };
  };
}

/** Walks the pattern's codes in the order `key` gives, each once: `next(n)` spells up to n more (fewer when all are spelled). */
export function codeCursor(p: CodePattern, key: CodeKey): { next(n: number): string[] } {
  const spell = speller(p);
  const permute = p.capacity > 1n ? permutation(p.capacity, key) : null;
  const walk = (from: number, n: number): string[] => {
    if (!permute) return spell.numbers([0]);
    const positions = new Float64Array(n);
    for (let j = 0; j < n; j++) positions[j] = from + j;
    const { hi, lo, width, v } = permute(positions);
    if (p.capacity > 2n ** 53n) return spell.halves(hi, lo, width, v);
    // Up to 2^53 the halves are one word each (v ≤ 27), and x = hi·2^v + lo is an exact number.
    const base = 2 ** v;
    const xs = new Float64Array(n);
    for (let j = 0; j < n; j++) xs[j] = hi[j] * base + lo[j];
    return spell.numbers(xs);
  };
  let taken = 0;
  let left = p.capacity;
  return {
    next(n) {
      const size = Math.max(0, BigInt(n) < left ? n : Number(left));
      if (size === 0) return [];
      const codes = walk(taken, size);
      taken += size;
      left -= BigInt(size);
      return codes;
    },
  };
}

/** The first `count` codes of the pattern under `key`, in batches (a pool may hold millions). */
export function* generateCodes(p: CodePattern, count: number, key: CodeKey, batchSize = 10_000): Generator<string[]> {
  if (BigInt(count) > p.capacity) throw new RangeError(`the pattern spells only ${p.capacity} codes`);
  const cursor = codeCursor(p, key);
  for (let done = 0; done < count; ) {
    const batch = cursor.next(Math.min(batchSize, count - done));
    done += batch.length;
    yield batch;
  }
}
