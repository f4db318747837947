import type { z } from 'zod';
import { MAX_LISTED_ISSUES, type DomainIssue } from '../../domain/issues';
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

/**
 * A union the input matched no branch of. When a branch got past the
 * input's top level (an object of the right shape with one bad field), at
 * that branch, as zodIssuesToDomain says it: `mapping.userId.prefix`,
 * "expected string, received number", not zod's "Invalid input" at the
 * union's path, which names neither the field nor what is wrong. When every
 * branch refused the value itself, the union's own message says it best
 * ("expected a campaign version, a positive integer, or `latest`").
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, prefix: string): DomainIssue[] {
  const atTheUnion = issue.errors.every((branch) => branch.every((i) => i.path.length === 0));
  if (atTheUnion) return [{ path: withPrefix(prefix, formatPath('', issue.path)), message: issue.message }];
  return zodIssuesToDomain([issue]).map((d) => ({ ...d, path: withPrefix(prefix, d.path) }));
}

/** The details one zod issue makes, up to `room` of them, and how many more it makes past those. */
function issueDetails(issue: z.core.$ZodIssue, prefix: string, room: number): { listed: DomainIssue[]; more: number } {
  if (issue.code === 'unrecognized_keys') {
    // One per unknown key, and a body under the size cap can hold hundreds of thousands: only those listed are spelled out.
    const listed = issue.keys.slice(0, room).map((key) => ({ path: withPrefix(prefix, formatPath('', [...issue.path, key])), message: `Unknown field "${key}".` }));
    return { listed, more: issue.keys.length - listed.length };
  }
  // A value's own count of what it left out (refineWellFormedText): listed, it says them; not listed, it counts them all, not as one.
  const notListed = countedByIssue(issue);
  if (notListed !== undefined && room < 1) return { listed: [], more: notListed };
  const all = issue.code === 'invalid_key' ? invalidKeyIssues(issue, prefix) : issue.code === 'invalid_union' ? unionIssues(issue, prefix) : [{ path: withPrefix(prefix, formatPath('', issue.path)), message: issue.message }];
  return { listed: all.slice(0, room), more: Math.max(0, all.length - room) };
}

/** How many problems a detail that counts them stands for (`params.notListed` of a custom issue), else undefined. */
function countedByIssue(issue: z.core.$ZodIssue): number | undefined {
  if (issue.code !== 'custom') return undefined;
  const counted = (issue.params as { notListed?: unknown } | undefined)?.notListed;
  return typeof counted === 'number' && Number.isSafeInteger(counted) && counted > 0 ? counted : undefined;
}

/** The problems found so far: the first MAX_LISTED_ISSUES spelled out, the rest only counted. */
interface Details {
  listed: DomainIssue[];
  more: number;
}

function collectDetails(into: Details, error: z.ZodError, prefix: string): void {
  for (const issue of error.issues) {
    const { listed, more } = issueDetails(issue, prefix, MAX_LISTED_ISSUES - into.listed.length);
    into.listed.push(...listed);
    into.more += more;
  }
}

/** The answer's details: at most MAX_LISTED_ISSUES and, past them, one more saying how many were left out (as listedIssues words it). */
function cappedDetails({ listed, more }: Details): DomainIssue[] {
  if (more === 0) return listed;
  return [...listed, { path: '', message: `and ${more} more problem${more === 1 ? '' : 's'} not listed: mend these first` }];
}

/**
 * One detail per problem, at most MAX_LISTED_ISSUES of them (then one saying
 * how many more): an unknown key is reported at its own path, not its
 * parent's, and a union's problem at the branch the input was meant for.
 */
export function zodIssues(error: z.ZodError, prefix = ''): DomainIssue[] {
  const details: Details = { listed: [], more: 0 };
  collectDetails(details, error, prefix);
  return cappedDetails(details);
}

/** Parses or throws InputError with every problem and its exact path (at most MAX_LISTED_ISSUES, then how many more). */
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
 * bad part at once, not the first one per round trip (at most MAX_LISTED_ISSUES
 * problems, as parseInput). Values in the parts' order.
 */
export function parseAll<const P extends readonly InputPart[]>(...parts: P): { -readonly [K in keyof P]: P[K] extends InputPart<infer S> ? z.infer<S> : never } {
  const details: Details = { listed: [], more: 0 };
  const values = parts.map(({ schema, input, prefix }) => {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    collectDetails(details, result.error, prefix);
    return undefined;
  });
  if (details.listed.length > 0 || details.more > 0) throw new InputError(cappedDetails(details));
  return values as { -readonly [K in keyof P]: P[K] extends InputPart<infer S> ? z.infer<S> : never };
}
