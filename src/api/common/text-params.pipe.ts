import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { InputError } from './errors';

/**
 * Path and query values end up as PostgreSQL text (and in Temporal
 * queries), which cannot hold the NUL character: `/v1/users/%00` made
 * PostgreSQL fail the query, a 500. Refused here, with the parameter's name
 * as the path, before any handler sees it. Bodies are checked by their
 * schemas and, as a last resort, by the error filter (postgresDataException).
 * A handler that parses its path parameters with schemas refusing NUL,
 * together with its body and query, reads them past this pipe
 * (schema-checked-input.ts), so that its 400 names every problem at
 * once rather than the NUL alone.
 */
@Injectable()
export class TextParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    const bad: string[] = [];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) bad.push(metadata.data ?? '');
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        if (name.includes('\u0000') || [v].flat().some((x) => typeof x === 'string' && x.includes('\u0000'))) bad.push(name);
      }
    }
    if (bad.length) throw new InputError(bad.map((path) => ({ path, message: 'must not contain the NUL character' })));
    return value;
  }
}
