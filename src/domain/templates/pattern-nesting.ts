import tokenize, { types, type Tokens } from 'ret';

/**
 * A repetition that may run long: unbounded (`*`, `+`, `{2,}`) or bounded
 * above 100. Inside one, any repetition of varying length (`(a+)+`,
 * `(\d{1,3}\.?)+`) lets a near-match be split in exponentially many ways,
 * and backtracking through them takes minutes on a few dozen characters;
 * outside one, `?` and counts (`\d{3}(-\d{4})?`) nest freely.
 */
const LONG_REPETITION = 100;

/**
 * How a `pattern` nests its repetitions: 'nested' when one of varying
 * length is inside a long one, 'unreadable' for syntax the tokenizer (ret)
 * does not read (lookbehind), else 'flat'. A check of nesting only:
 * overlapping alternatives repeated (`(a|a)+`) pass it.
 */
export function patternNesting(pattern: string): 'flat' | 'nested' | 'unreadable' {
  let root: Tokens;
  try {
    root = tokenize(pattern);
  } catch {
    return 'unreadable';
  }
  return varyingInsideLong(root, false) ? 'nested' : 'flat';
}

function varyingInsideLong(token: Tokens, insideLong: boolean): boolean {
  if (token.type === types.REPETITION) {
    // An open-ended repetition's max is Infinity.
    if (insideLong && token.max !== token.min) return true;
    return varyingInsideLong(token.value, insideLong || token.max > LONG_REPETITION);
  }
  if (token.type !== types.ROOT && token.type !== types.GROUP) return false;
  return [...(token.stack ?? []), ...(token.options ?? []).flat()].some((t) => varyingInsideLong(t, insideLong));
}
