/**
 * Template + parameter values → a draft campaign definition. Pure: the API
 * answers with the draft (nothing is saved) and the canvas may call it too.
 * Every problem is reported at the request path that caused it:
 * `parameters.<name>` for a value out of bounds, `key` / `name` for the
 * overrides, and a campaign that does not compile with the given values is
 * traced back to the parameters whose placeholders sit at the problem's path.
 */
import { z } from 'zod';
import { Key } from '../campaign/schema';
import { compileCampaign } from '../compiler';
import { fail, joinPath, ok, type DomainIssue, type Result } from '../issues';
import { zodIssuesToDomain } from '../zod-issues';
import { valueSchema, type ParameterValue } from './parameter-spec';
import { findPlaceholders, substitute, type Provenance } from './placeholders';
import type { TemplateFile } from './template-file';

export const RenderRequest = z
  .object({
    parameters: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Values by parameter name; a parameter left out takes its default.'),
    key: Key.optional().describe("The campaign's key (default: the template's own)."),
    name: z.string().min(1).max(200).optional().describe("The campaign's name (default: the template's)."),
  })
  .strict();
export type RenderRequest = z.infer<typeof RenderRequest>;

export interface RenderedTemplate {
  template: string;
  /** The values used, defaults filled in. */
  parameters: Record<string, ParameterValue>;
  /** A campaign definition that compiles (POST /v1/campaigns takes it as it is). */
  campaign: Record<string, unknown>;
}

/** Unknown parameter names reported each at its own path; the rest are counted in one issue. */
const MAX_UNKNOWN_LISTED = 20;

/** The values to render with: each given value checked against its declaration, defaults for the rest. */
export function resolveParameters(template: TemplateFile, given: Readonly<Record<string, unknown>> = {}): Result<Record<string, ParameterValue>> {
  const issues: DomainIssue[] = [];
  const declared = new Set(template.parameters.map((p) => p.name));
  const unknown = Object.keys(given).filter((name) => !declared.has(name));
  // Named one by one up to a point: a 5 MB body of made-up names must not make an answer fifteen times its size.
  for (const name of unknown.slice(0, MAX_UNKNOWN_LISTED)) {
    issues.push({ path: joinPath('parameters', name), message: `unknown parameter; ${template.key} takes ${[...declared].join(', ') || 'none'}` });
  }
  if (unknown.length > MAX_UNKNOWN_LISTED) {
    issues.push({ path: 'parameters', message: `and ${unknown.length - MAX_UNKNOWN_LISTED} more unknown parameter(s)` });
  }
  const values: Record<string, ParameterValue> = {};
  for (const spec of template.parameters) {
    const path = joinPath('parameters', spec.name);
    const submitted = Object.prototype.hasOwnProperty.call(given, spec.name) ? given[spec.name] : undefined;
    const checked = valueSchema(spec).safeParse(submitted === undefined ? spec.default : submitted);
    if (checked.success) values[spec.name] = checked.data;
    else issues.push(...zodIssuesToDomain(checked.error.issues, path));
  }
  return issues.length > 0 ? fail(issues) : ok(values);
}

export function renderTemplate(template: TemplateFile, request: unknown = {}): Result<RenderedTemplate> {
  const parsed = RenderRequest.safeParse(request ?? {});
  if (!parsed.success) return fail(zodIssuesToDomain(parsed.error.issues));
  const values = resolveParameters(template, parsed.data.parameters);
  if (!values.ok) return values;
  const campaign = {
    ...(substitute(template.campaign, values.value) as Record<string, unknown>),
    ...(parsed.data.key !== undefined ? { key: parsed.data.key } : {}),
    ...(parsed.data.name !== undefined ? { name: parsed.data.name } : {}),
  };
  // As POST /v1/campaigns will compile it (admitting: the checks new versions must pass), so a draft rendered is one it takes.
  const compiled = compileCampaign(campaign, { admitting: true });
  if (!compiled.ok) {
    const overridden = (['key', 'name'] as const).filter((field) => parsed.data[field] !== undefined);
    return fail(traceToParameters(compiled.issues, findPlaceholders(template.campaign).uses, overridden));
  }
  return ok({ template: template.key, parameters: values.value, campaign });
}

const within = (inner: string, outer: string): boolean =>
  inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

/**
 * A compile issue at `states.a.transitions[0].when[1][0]` names the parameters
 * placed there, or below or above it; with none, the template itself is at
 * fault for these values and the issue is reported at `parameters`. One at a
 * field the request overrode (`key`, `name`) is that field's: the override
 * replaced whatever the template placed there.
 */
function traceToParameters(issues: readonly DomainIssue[], uses: readonly Provenance[], overridden: readonly string[]): DomainIssue[] {
  const out: DomainIssue[] = [];
  for (const issue of issues) {
    const field = overridden.find((f) => within(issue.path, f));
    if (field !== undefined) {
      out.push({ path: field, message: issue.message });
      continue;
    }
    const names = new Set(uses.filter((u) => within(issue.path, u.path) || within(u.path, issue.path)).flatMap((u) => u.parameters));
    const where = issue.path ? ` (campaign field ${issue.path})` : '';
    if (names.size === 0) out.push({ path: 'parameters', message: `with these values the campaign does not compile: ${issue.message}${where}` });
    for (const name of names) out.push({ path: joinPath('parameters', name), message: `with this value the campaign does not compile: ${issue.message}${where}` });
  }
  return out;
}
