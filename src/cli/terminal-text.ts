/**
 * Text from the server (a campaign's name, an event id, an error message)
 * goes to a person's terminal, and anyone with an ingest key can choose
 * some of it. Control characters would move the cursor, clear the screen or
 * recolour what follows; bidirectional controls would show the rest of the
 * line in another order than it is (an id that reads as another); Unicode's
 * line and paragraph separators break a line some terminals keep. All are
 * shown as escapes instead.
 */

// C0 controls, DEL and C1 controls (ESC is \u001b, CSI \u009b): matching them is the point here.
// Then the bidirectional marks, embeddings, overrides and isolates, and U+2028/U+2029.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
};

/** One table cell or value on a line: every control character escaped, line breaks included. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, escape);
}

/** Lines the CLI prints: control characters escaped, but its own line breaks and tabs kept. */
export function printable(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escape);
}

/** A character by its code point (`U+2019`), for a message that must say which one without printing it. */
export const codePointName = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
