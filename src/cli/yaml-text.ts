import { Document, isScalar, Scalar, visit } from 'yaml';

/**
 * A value as YAML for a file the CLI reads back (`campaigns export`,
 * `templates render`), as `stringify` writes it, except that a `"<<"` key is
 * quoted. The CLI reads files with merge keys on (`<<: *defaults`), so a
 * bare `<<` written for a stored `"<<"` key (a webhook body is free JSON)
 * would come back merged into the map around it, or refused when its value
 * is not a map.
 */
export function yamlForFile(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
