import type { z } from 'zod';
import type { DomainIssue } from '../../domain/issues';
import { formatPath, zodIssuesToDomain } from '../../domain/zod-issues';
import { InputError } from './errors';

function withPrefix(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix}${path.startsWith('[') ? '' : '.'}${path}`;
}

/**
 * A record key the key schema refused (an attribute name empty or past 200
 * characters), at the key's own path and with the key schema's reason, as
 * zodIssuesToDomain says it (zod's own message, "Invalid key in record", says
 * neither). An empty key is reported at its record: `attributes.` names
 * nothing a client can find in its body.
 */
function invalidKeyIssues(issue: z.core.$ZodIssueInvalidKey, prefix: string): DomainIssue[] {
  const path = issue.path.at(-1) === '' ? issue.path.slice(0, -1) : issue.path;
  return zodIssuesToDomain([{ ...issue, path }]).map((d) => ({ ...d, path: withPrefix(prefix, d.path) }));
}

/** One detail per problem; an unknown key is reported at its own path, not its parent's. */
export function zodIssues(error: z.ZodError, prefix = ''): DomainIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: withPrefix(prefix, formatPath('', [...issue.path, key])), message: `Unknown field "${key}".` }));
    }
    if (issue.code === 'invalid_key') return invalidKeyIssues(issue, prefix);
    return [{ path: withPrefix(prefix, formatPath('', issue.path)), message: issue.message }];
  });
}

/** Parses or throws InputError with every problem and its exact path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InputError(zodIssues(result.error, prefix));
  return result.data;
}

/** One part of a request for parseAll: its schema, what came, and the path its problems are reported under. */
export interface InputPart<S extends z.ZodType = z.ZodType> {
  schema: S;
  input: unknown;
  prefix: string;
}

export function inputPart<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): InputPart<S> {
  return { schema, input, prefix };
}

/**
 * Parses every part of a request (path parameters, body, headers, query) and
 * throws one InputError with the problems of all of them: a 400 names every
 * bad part at once, not the first one per round trip. Values in the parts' order.
 */
export function parseAll<const P extends readonly InputPart[]>(...parts: P): { -readonly [K in keyof P]: P[K] extends InputPart<infer S> ? z.infer<S> : never } {
  const issues: DomainIssue[] = [];
  const values = parts.map(({ schema, input, prefix }) => {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    issues.push(...zodIssues(result.error, prefix));
    return undefined;
  });
  if (issues.length > 0) throw new InputError(issues);
  return values as { -readonly [K in keyof P]: P[K] extends InputPart<infer S> ? z.infer<S> : never };
}
