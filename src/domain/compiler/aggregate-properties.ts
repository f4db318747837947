/**
 * An aggregate's property is a name within each event's `properties`
 * (conditions/aggregates.ts reads `event.properties[property]`), where a
 * condition's `event.amount` and `amount` both read `properties.amount`. So
 * `sum('order.completed', 'event.amount')`, the natural thing to write, reads
 * `properties.event.amount`: nothing, for every event, and the campaign never
 * moves, with nothing to say why. Refused when admitting (a stored version
 * compiles as it was accepted, and reads what it always read). The price: a
 * property whose own name is `event` or `properties` cannot be aggregated.
 */
import type { AggregateSpec } from '../conditions';
import type { DomainIssue } from '../issues';

const MISREAD_PREFIX = /^(event|properties)\./;

/** The issues for `specs`, the aggregates of the condition or value `source` at `path`; one per aggregate. */
export function misreadPropertyIssues(specs: readonly AggregateSpec[], path: string, source: unknown): DomainIssue[] {
  const issues: DomainIssue[] = [];
  for (const spec of specs) {
    const property = spec.property;
    if (property === undefined || !MISREAD_PREFIX.test(property)) continue;
    let meant = property;
    while (MISREAD_PREFIX.test(meant)) meant = meant.replace(MISREAD_PREFIX, '');
    const prefix = property.slice(0, property.indexOf('.'));
    const message =
      `${spec.key} reads '${property}' within each ${spec.eventType} event's properties, that is properties.${property}, ` +
      `not event.${meant}: an aggregate's property is named as it is within the event's properties, so write '${meant}' ` +
      `(a property itself named "${prefix}" cannot be aggregated)`;
    const position = positionOf(source, property);
    issues.push(position === undefined ? { path, message } : { path, message, position });
  }
  return issues;
}

/** Where the quoted property stands in an expression written as text (0-based, at its opening quote); else undefined. */
function positionOf(source: unknown, property: string): number | undefined {
  if (typeof source !== 'string') return undefined;
  for (const quote of ["'", '"']) {
    const at = source.indexOf(`${quote}${property}${quote}`);
    if (at >= 0) return at;
  }
  return undefined;
}
