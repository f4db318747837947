/**
 * Generated coupon codes. A pattern is literal text with placeholders:
 * `#` a digit and `?` a letter (`SAVE-####-????`); a pattern without either
 * uses the schema's notation instead, `X` a letter or digit and `9` a digit.
 *
 * Codes are unique by construction, not by retrying: the i-th code is the
 * mixed-radix spelling of (a·i + b) mod N, where N is the number of codes the
 * pattern can spell and a is coprime with N, so i ↦ code is a bijection on
 * [0, N). a and b are drawn at random per pool, which scatters the codes;
 * this is not cryptographic unpredictability: several codes of a pool reveal
 * a and b. Use imported codes where guessing must be infeasible.
 */
import { randomBytes } from 'node:crypto';

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

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

export interface Scatter {
  a: bigint;
  b: bigint;
}

function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function randomBelow(n: bigint): bigint {
  return BigInt(`0x${randomBytes(16).toString('hex')}`) % n;
}

/** A random multiplier coprime with the capacity, and a random offset. */
export function randomScatter(capacity: bigint): Scatter {
  let a = randomBelow(capacity);
  while (gcd(a, capacity) !== 1n) a = (a + 1n) % capacity;
  return { a, b: randomBelow(capacity) };
}

function spell(p: CodePattern, value: bigint): string {
  let rest = value;
  const out: string[] = new Array<string>(p.slots.length);
  // The last placeholder varies fastest, like the last digit of a number.
  for (let i = p.slots.length - 1; i >= 0; i--) {
    const s = p.slots[i];
    if (typeof s === 'string') {
      out[i] = s;
    } else {
      const radix = BigInt(s.alphabet.length);
      out[i] = s.alphabet[Number(rest % radix)];
      rest /= radix;
    }
  }
  return out.join('');
}

/** Walks the pattern's codes in the order `scatter` gives, each once: `next(n)` spells up to n more (fewer when all are spelled). */
export function codeCursor(p: CodePattern, scatter: Scatter): { next(n: number): string[] } {
  let value = scatter.b % p.capacity;
  const step = scatter.a % p.capacity;
  let left = p.capacity;
  return {
    next(n) {
      const out: string[] = [];
      for (; out.length < n && left > 0n; left--) {
        out.push(spell(p, value));
        value = (value + step) % p.capacity;
      }
      return out;
    },
  };
}

/** The first `count` codes of the pattern under `scatter`, in batches (a pool may hold millions). */
export function* generateCodes(p: CodePattern, count: number, scatter: Scatter, batchSize = 10_000): Generator<string[]> {
  if (BigInt(count) > p.capacity) throw new RangeError(`the pattern spells only ${p.capacity} codes`);
  const cursor = codeCursor(p, scatter);
  for (let done = 0; done < count; ) {
    const batch = cursor.next(Math.min(batchSize, count - done));
    done += batch.length;
    yield batch;
  }
}
