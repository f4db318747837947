import { Document, isScalar, Scalar, visit } from 'yaml';
import { printable } from './terminal-text';

/**
 * A value as YAML for a file the CLI reads back (`campaigns export`,
 * `templates render`), as `stringify` writes it, except that a `"<<"` key is
 * quoted. The CLI reads files with merge keys on (`<<: *defaults`), so a
 * bare `<<` written for a stored `"<<"` key (a webhook body is free JSON)
 * would come back merged into the map around it, or refused when its value
 * is not a map. Control characters (C1, Unicode's bidirectional ones) are
 * written as escapes in double quotes, never raw: printed to a terminal
 * (no `-o`) or `cat` of the file, they are never obeyed.
 */
export function yamlForFile(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = Scalar.QUOTE_DOUBLE;
    },
    // yaml leaves C1 controls raw even in double quotes, and writes bidirectional controls in plain scalars: a string
    // holding one is double-quoted, where printable's `\u009b` is an escape that reads back as the same character.
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string' && printable(scalar.value) !== scalar.value) scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return printable(doc.toString({ lineWidth: 0 }));
}
