import { LineCounter, parseDocument, visit, type Document } from 'yaml';

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
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const syntaxErrors = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { line, col, message: YAML_MESSAGES[e.code] ?? withoutPosition(e.message) };
  });
  // `.inf`, `.nan` and 1e400 read as numbers JSON has no text for: the API would get null where the file says a number.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || Number.isFinite(node.value)) return;
      const { line, col } = lines.linePos(node.range?.[0] ?? 0);
      syntaxErrors.push({ line, col, message: `${node.source ?? String(node.value)} is not a number JSON can carry (finite, at most about 1.8e308)` });
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
      syntaxErrors.push({ line, col, message: loop ? 'an alias refers to the node that holds it: a loop, which JSON cannot hold' : (err as Error).message.split('\n')[0] });
      value = undefined;
    }
  }
  return { file, text, doc, lines, value, syntaxErrors };
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
