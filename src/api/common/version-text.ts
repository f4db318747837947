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
  .pipe(z.number().max(INT32_MAX, EXPECTED));
