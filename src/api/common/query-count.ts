import { z } from 'zod';

/**
 * A whole number from 1 to `max` in a query string, where values arrive as
 * text: a page size, a sample size. Anything else (0, a sign, a fraction,
 * more than `max`) gets `message` at the parameter's path. The OpenAPI
 * document calls it an integer, so typed clients pass a number.
 */
export function queryCount(max: number, message = `expected a whole number from 1 to ${max}`) {
  return z
    .string()
    .regex(new RegExp(`^[1-9]\\d{0,${String(max).length - 1}}$`), message)
    .transform(Number)
    .refine((n) => n <= max, message)
    // What a client sends is a number (openapi-fetch writes it into the query); the text is how it arrives.
    .meta({ type: 'integer', minimum: 1, maximum: max });
}
