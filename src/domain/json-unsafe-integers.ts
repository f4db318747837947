/**
 * Whole numbers that JSON.parse changes without a word:
 * `12345678901234567890` reads as a double that JSON writes as
 * 12345678901234567000, so two order numbers could read as one and a
 * condition compare what the sender never wrote. The API refuses them in a
 * request body, a message-queue source in a message, and the CLI before
 * sending, at their path; all use this
 * scan and these words. A whole number JSON writes back as it was written
 * (12345678901234567000, what Kairos itself answers for such a double, and
 * what `kairos campaigns export` writes) is kept, so an answer sent back is
 * taken; `1.5e20` is written as a double and taken as one. A zero fraction
 * (`12345678901234567890.0`) does not make a whole number a double: it is
 * refused as the digits before the point would be.
 */
import { keyAt, stringEnd } from './json-duplicate-keys';

type Path = Array<string | number>;

/** Why such a literal is refused, the same in the API's answers and the CLI's messages. */
export const wholeNumberPast2To53 = (literal: string): string => `${literal} is a whole number past 2^53, which a JSON number does not keep exactly`;

/** The same, with the way out: what a request body's 400 and a source's dead letter say. */
export const writeItAsString = (literal: string): string => `${wholeNumberPast2To53(literal)}; write it as a string: "${literal}"`;

const SIXTEEN_DIGITS = /\d{16}/;

/**
 * Whether `text` may hold such a number at all: the smallest one,
 * 9007199254740993, has 16 digits. A cheap test, so that the scan below
 * runs only on the few texts that may need it (the API parses every
 * ingested event's body).
 */
export const mayHoldUnsafeInteger = (text: string): boolean => SIXTEEN_DIGITS.test(text);

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A whole number in digits, and the digits before the point when it is
 * written with a zero fraction (`12345678901234567890.0`, what a DECIMAL
 * column or a BigDecimal of scale 1 serializes to): JSON.parse rounds that
 * one the same way.
 */
const WHOLE = /^(-?\d+)(?:\.0+)?$/;

/**
 * The first number written as digits alone (`12345678901234567890`, or
 * with a zero fraction: `12345678901234567890.0`) that JSON.parse changes
 * (jsonKeepsWholeNumber), with its path and the literal as written, or
 * undefined.
 * Only called on text JSON.parse accepted, so the scan trusts the grammar,
 * as duplicateKeyPath does.
 */
export function unsafeIntegerLiteral(text: string): { path: Path; literal: string } | undefined {
  if (!mayHoldUnsafeInteger(text)) return undefined;
  // One frame per open object (the key being read) or array (the index).
  const frames: Array<{ key: string; expectingKey: boolean } | { index: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = frames[frames.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top && 'key' in top && top.expectingKey) {
        top.key = keyAt(text, i, end);
        top.expectingKey = false;
      }
      i = end;
    } else if (c === '{') frames.push({ key: '', expectingKey: true });
    else if (c === '[') frames.push({ index: 0 });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && top) {
      if ('key' in top) top.expectingKey = true;
      else top.index++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const literal = match(NUMBER, text, i);
      const whole = WHOLE.exec(literal)?.[1];
      if (whole !== undefined && !jsonKeepsWholeNumber(whole)) return { path: frames.map((f) => ('key' in f ? f.key : f.index)), literal };
      i += literal.length - 1;
    }
  }
  return undefined;
}

/**
 * Whether JSON.parse reads a whole number written in digits as a double
 * whose JSON text says that same number: always below 2^53, and past it only
 * for the digits JSON itself writes (12345678901234567000, not ...890).
 */
export function jsonKeepsWholeNumber(literal: string): boolean {
  const value = Number(literal);
  if (Number.isSafeInteger(value)) return true;
  return Number.isFinite(value) && BigInt(literal) === jsonInteger(value);
}

/** The whole number the JSON text of `value` (`12345678901234567000`, `1.2e+21`) says, exactly. */
function jsonInteger(value: number): bigint {
  const [mantissa, exponent = '0'] = String(value).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  return BigInt(whole + fraction) * 10n ** BigInt(Number(exponent) - fraction.length);
}

function match(token: RegExp, text: string, at: number): string {
  token.lastIndex = at;
  return token.exec(text)?.[0] ?? text[at];
}
