import { isAlias, isNode, isScalar, LineCounter, visit, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { wholeNumberPast2To53 } from './json-text';
import { parseDocumentWithinDepth, TOO_DEEP_FILE } from './yaml-depth';
import { renamedKeyWords } from '../domain/renamed-key';

/** A campaign (or pool) file read from disk: its value and what is needed to point back into its text. */
export interface SourceDocument {
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
  /** The parsed value; undefined when the text has syntax errors. */
  value: unknown;
  /** Syntax errors, already placed at their line and column. */
  syntaxErrors: { line: number; col: number; message: string }[];
}

/**
 * Parses YAML or JSON (JSON is YAML 1.2, and the yaml package keeps the
 * source ranges of both), so one position mapping serves both formats.
 */
export function parseSource(file: string, text: string): SourceDocument {
  const lines = new LineCounter();
  // `<<: *defaults` merge keys, as YAML 1.1 and most YAML tools take them: a step or state shared by anchor.
  const parsed = parseDocumentWithinDepth(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  // Nested deeper than Kairos takes: not composed, since composing, visiting and converting recurse, and run out of stack.
  if ('tooDeepAt' in parsed) return { ...parseSource(file, ''), file, syntaxErrors: [{ ...lines.linePos(parsed.tooDeepAt), message: TOO_DEEP_FILE }] };
  const { doc } = parsed;
  const syntaxErrors = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { line, col, message: YAML_MESSAGES[e.code] ?? withoutPosition(e.message) };
  });
  const problemAt = (node: Node, message: string) => syntaxErrors.push({ ...lines.linePos(node.range?.[0] ?? 0), message });
  visit(doc, {
    Scalar(_key, node) {
      const message = numberProblem(node);
      if (message !== undefined) problemAt(node, message);
    },
    Map(_key, map) {
      for (const { node, message } of jsonKeyProblems(doc, map, lines)) problemAt(node, message);
    },
  });
  // YAML takes what JSON does not (a trailing comma, comments, single quotes): a .json file must be JSON.
  if (syntaxErrors.length === 0 && /\.json$/i.test(file)) {
    const problem = jsonSyntaxProblem(text);
    if (problem) syntaxErrors.push({ ...lines.linePos(problem.at), message: `not valid JSON: ${problem.message}` });
  }
  let value: unknown;
  if (syntaxErrors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
      // An alias inside its own anchor (`a: &a [*a]`) makes a loop, which JSON cannot hold.
      JSON.stringify(value);
    } catch (err) {
      // Too many aliases (an alias bomb), or that loop: a problem of this file, at its first alias.
      const { line, col } = lines.linePos(firstAlias(doc));
      const loop = err instanceof TypeError && /circular/i.test(err.message);
      // Aliases of aliases can nest the value far deeper than the text (the text itself was measured above).
      const deepThrough = err instanceof RangeError && /call stack/i.test(err.message);
      const message = loop ? 'an alias refers to the node that holds it: a loop, which JSON cannot hold' : deepThrough ? `through its aliases, ${TOO_DEEP_FILE}` : (err as Error).message.split('\n')[0];
      syntaxErrors.push({ line, col, message });
      value = undefined;
    }
  }
  return { file, text, doc, lines, value, syntaxErrors };
}

/**
 * Why a number in the file would reach Kairos as another value, or
 * undefined. `.inf`, `.nan` and 1e400 have no JSON text: the API would get
 * null. A whole number past 2^53 written in digits (an account number in a
 * webhook body) may be rounded, and neither the server (a body is free JSON)
 * nor `diff` (both sides rounded) could notice; it is refused when the JSON
 * sent would say another number than the file. One that JSON keeps as
 * written (12345678901234567000, as `campaigns export` writes a number
 * stored rounded) still goes, and `1.5e20` is written as a double and taken
 * as one.
 */
function numberProblem(node: Scalar): string | undefined {
  if (typeof node.value !== 'number') return undefined;
  const literal = node.source ?? String(node.value);
  if (!Number.isFinite(node.value)) return `${literal} is not a number JSON can carry (finite, at most about 1.8e308)`;
  if (Number.isSafeInteger(node.value) || !WHOLE_NUMBER_IN_DIGITS.test(literal) || BigInt(literal) === jsonInteger(node.value)) return undefined;
  return `${literal} would reach Kairos as ${String(node.value)}: ${wholeNumberPast2To53(literal)}; quote it to send it as text: "${literal}"`;
}

/**
 * Keys of one mapping that would not reach Kairos as written. Every JSON
 * key is text, and toJS makes one of each YAML key (`String(value)`, null
 * as ""), so keys that YAML holds apart can become one, and JSON keeps only
 * the last (`1:` and `"1":`; `true:` and `"true":`; `~:` and `"":`), while
 * yaml's uniqueKeys compares the values and lets them through. A key that
 * is not text in YAML is renamed on the way (`007:` is "7", `1e3:` is
 * "1000", `~:` is ""). A merge key (`<<: *defaults`) is no key of its own.
 */
function jsonKeyProblems(doc: Document, map: YAMLMap, lines: LineCounter): { node: Node; message: string }[] {
  const problems: { node: Node; message: string }[] = [];
  const seen = new Map<string, Node>();
  for (const pair of map.items) {
    if (!isNode(pair.key)) continue;
    const written = pair.key;
    const key = keyScalar(doc, written);
    if (key === undefined) {
      problems.push({ node: written, message: 'a list or a mapping as a key has no JSON form (every JSON key is text): write the key as text' });
      continue;
    }
    if (typeof key.value === 'symbol') continue;
    const name = jsonKeyName(key);
    const first = seen.get(name);
    if (first === undefined) seen.set(name, written);
    // The same value twice is yaml's own "Map keys must be unique", said already.
    else if (keyScalar(doc, first)?.value !== key.value) {
      const { line } = lines.linePos(first.range?.[0] ?? 0);
      problems.push({ node: written, message: `this key is ${JSON.stringify(name)} in JSON, as is the key at line ${line} (every JSON key is text), and JSON keeps only the last: write it once` });
    }
    const renamed = isScalar(written) && typeof key.value !== 'string' && name !== key.source && numberProblem(written) === undefined;
    if (renamed) problems.push({ node: written, message: renamedKeyWords(String(key.source), name) });
  }
  return problems;
}

/** A pair's key as a scalar (an alias's through its anchor), or undefined for a list or mapping as a key. */
function keyScalar(doc: Document, key: Node): Scalar | undefined {
  const node = isAlias(key) ? key.resolve(doc) : key;
  return isScalar(node) ? node : undefined;
}

/**
 * The name toJS gives a scalar key in a JS object, and so in the JSON sent:
 * its value as text, null as "", and a value that is an object (a YAML 1.1
 * timestamp) as written.
 */
function jsonKeyName(key: Scalar): string {
  if (key.value === null || key.value === undefined) return '';
  return typeof key.value === 'object' ? (key.source ?? '') : String(key.value as string | number | boolean | bigint);
}

/** A whole number as YAML or JSON writes it in digits: decimal, or YAML's 0x and 0o forms. */
const WHOLE_NUMBER_IN_DIGITS = /^[-+]?(\d+|0x[0-9a-fA-F]+|0o[0-7]+)$/;

/** The whole number the JSON text of `value` (`12345678901234567000`, `1.2e+21`) says, exactly. */
function jsonInteger(value: number): bigint {
  const [mantissa, exponent = '0'] = String(value).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  return BigInt(whole + fraction) * 10n ** BigInt(Number(exponent) - fraction.length);
}

/** yaml's messages that speak to a programmer (`please use YAML.parseAllDocuments()`), in a file author's words. */
const YAML_MESSAGES: Partial<Record<string, string>> = {
  MULTIPLE_DOCS:
    'a second YAML document starts here (after ---): a file holds one (a campaign, a source or a pool, or a list of sources or pools); put the others in files of their own, or in one list',
};

/** yaml's message on one line, without the position and the excerpt it adds (the line says where). */
const withoutPosition = (message: string): string => message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

/**
 * Where and why a .json file's text is not JSON, or undefined. A byte order
 * mark at the start (PowerShell 5 and Notepad write one) is no part of the
 * text, as YAML takes it. V8's message may quote the text around the
 * problem, line breaks included; a problem line is one line, so the quote is
 * left out and the position said instead.
 */
function jsonSyntaxProblem(text: string): { at: number; message: string } | undefined {
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  try {
    JSON.parse(text.slice(bom));
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at) return { at: bom + Number(at[1]), message: message.replace(/\s*(in JSON )?at position \d+.*$/s, '') };
    if (/end of JSON input/.test(message)) return { at: text.length, message: 'the text ends before the JSON does' };
    // `Unexpected token 'x', "...text..." is not valid JSON`: the token without the quote (V8 says no position then).
    const token = /^Unexpected token '(.+?)', "/su.exec(message)?.[1];
    if (token) return { at: 0, message: `unexpected ${[...token].map(shownChar).join('')} (the parser does not say where)` };
    return { at: 0, message: message.split('\n')[0] };
  }
}

/** A character as a problem line shows it: itself when visible ASCII, else its code point. */
const shownChar = (c: string): string => (/^[!-~]$/.test(c) ? `'${c}'` : `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);

/** Where the document's first alias starts (0 when it has none). */
function firstAlias(doc: Document): number {
  let at = 0;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return at;
}
