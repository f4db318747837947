import { LineCounter, parseDocument, type Document } from 'yaml';

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
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntaxErrors = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { line, col, message: e.message.split('\n')[0] };
  });
  return { file, text, doc, lines, value: syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 }), syntaxErrors };
}
