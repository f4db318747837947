import { z } from 'zod';
import { INT32_MAX } from '../../domain/storable';

const EXPECTED = 'expected a campaign version, a positive integer';

/**
 * A campaign version written as text (a path segment, a query value): 1 to
 * the largest int PostgreSQL stores, as the JSON bodies' versions (Int32).
 */
export const VersionText = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, EXPECTED)
  .transform(Number)
  .pipe(z.number().max(INT32_MAX, EXPECTED))
  // An integer to the OpenAPI document (typed clients pass a number for `?version=`); the text is how it arrives.
  .meta({ type: 'integer', minimum: 1, maximum: INT32_MAX });
