/**
 * What text a coupon code may be. A pool hands a code out exactly as it was
 * sent and tells codes apart by their exact text (case-sensitive), so two
 * codes a person cannot tell apart would be two codes: `A1` and `A1\r` (a
 * CSV with Windows line endings), ` A1`, `A1` with a zero-width space, or
 * `É1` composed and decomposed. The CLI and console trim what they send; a
 * script does not. Such text is refused, never normalised: the code given to
 * customers is the one that was sent. The same rule holds for the literal
 * text of a `generate` pattern, which every code it spells carries.
 */
import { z } from 'zod';
import { MAX_LISTED_ISSUES } from '../issues';
import { textProblem } from '../text-problem';

/**
 * Control characters (Cc: CR, LF, TAB, DEL, C1) and format characters (Cf:
 * zero-width spaces and joiners, the BOM U+FEFF, bidirectional marks), and the
 * line and paragraph separators U+2028/U+2029 (Zl, Zp): nothing a person reads.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Printable ASCII that neither starts nor ends with a space: most codes, and nothing to look at further. */
const PLAIN = /^[!-~](?:[ -~]*[!-~])?$/;

/** `U+200B`. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** JSON text escapes, one UTF-16 unit at a time: `\u200b`, `\ud83c\udf89`. */
function escaped(ch: string): string {
  return [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

/**
 * The text as a JSON string whose every character shows: JSON.stringify
 * escapes CR, LF and TAB but leaves DEL, C1 controls, zero-width and other
 * format characters, separators and unusual spaces invisible; `marks` also
 * spells out combining marks, which is what tells NFD from NFC text.
 */
export function shownText(text: string, marks = false): string {
  const hidden = marks ? /[\p{Cc}\p{Cf}\p{Z}\p{M}]/gu : /[\p{Cc}\p{Cf}\p{Z}]/gu;
  return JSON.stringify(text).replace(hidden, (ch) => (ch === ' ' ? ch : escaped(ch)));
}

/**
 * Why `text` cannot be a coupon code (`what` names it in the message: "a code",
 * "a pattern"), or null when it can. Text PostgreSQL cannot store (NUL, a lone
 * surrogate) is left to the storable-text rule, which says so at the same path.
 */
export function codeTextProblem(text: string, what = 'a code'): string | null {
  if (PLAIN.test(text) || textProblem(text) !== null) return null;
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    return `${shownText(text)} holds ${codePointName(invisible[0])}, a control or invisible format character: codes are handed out and compared exactly as sent, so ${what} may not hold one`;
  }
  if (text.trim() !== text) {
    return `${shownText(text)} starts or ends with whitespace: codes are handed out and compared exactly as sent, so ${what} may not (send it trimmed)`;
  }
  const composed = text.normalize('NFC');
  if (composed !== text) {
    return `${shownText(text, true)} is not in Unicode normalization form C (NFC): codes are handed out and compared exactly as sent, so ${what} is sent composed (${shownText(composed, true)})`;
  }
  return null;
}

/** One coupon code: 1 to 200 characters; CouponCodeList holds it to codeTextProblem. */
const CouponCode = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'Compared and handed out exactly as sent (case-sensitive). Refused: leading or trailing whitespace, control or format characters (CR, LF, TAB, zero-width spaces, the BOM, U+2028/U+2029), and text not in Unicode NFC.',
  );

/**
 * Imported coupon codes, handed out in this order, each held to
 * codeTextProblem at its own path (`codes[3]`). The list is checked as a
 * whole so that the answer names the first MAX_LISTED_ISSUES and counts the
 * rest: a 5 MiB body of codes that all end in CR holds nearly a million of
 * them, and one detail each made a 400 of over a hundred megabytes.
 */
export const CouponCodeList = z
  .array(CouponCode)
  .min(1)
  .superRefine((codes, ctx) => {
    let refused = 0;
    codes.forEach((code, i) => {
      const problem = codeTextProblem(code);
      if (problem === null) return;
      if (++refused <= MAX_LISTED_ISSUES) ctx.addIssue({ code: 'custom', path: [i], message: problem });
    });
    if (refused > MAX_LISTED_ISSUES) {
      ctx.addIssue({ code: 'custom', path: [], message: `and ${refused - MAX_LISTED_ISSUES} more codes refused for their text, not listed: mend these first` });
    }
  });

/** The text of a `generate` pattern: its literals are part of every code it spells, so the codes' rule holds for it. */
export const CodePatternText = z
  .string()
  .min(1)
  .max(100)
  .superRefine((pattern, ctx) => {
    const problem = codeTextProblem(pattern, 'a pattern');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
