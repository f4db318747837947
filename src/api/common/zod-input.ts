import type { z } from 'zod';
import type { DomainIssue } from '../../domain/issues';
import { formatPath } from '../../domain/zod-issues';
import { InputError } from './errors';


function withPrefix(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix}${path.startsWith('[') ? '' : '.'}${path}`;
}

/** One detail per problem; an unknown key is reported at its own path, not its parent's. */
export function zodIssues(error: z.ZodError, prefix = ''): DomainIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: withPrefix(prefix, formatPath('', [...issue.path, key])), message: `Unknown field "${key}".` }));
    }
    return [{ path: withPrefix(prefix, formatPath('', issue.path)), message: issue.message }];
  });
}

/** Parses or throws InputError with every problem and its exact path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InputError(zodIssues(result.error, prefix));
  return result.data;
}
