/**
 * Whether a parsed template file is usable: the shape, each parameter's
 * declaration, the placeholders against the parameters (every placeholder
 * declared, every parameter used), and a render with the defaults that
 * compiles. Paths point into the file (`parameters[2].default`,
 * `campaign.states.collecting.transitions[0].when`), so a broken file fails
 * loudly at boot and in the tests with the place to fix.
 */
import { compileCampaign } from '../compiler';
import { isObject } from '../is-object';
import { fail, joinPath, ok, type DomainIssue, type Result } from '../issues';
import { zodIssuesToDomain } from '../zod-issues';
import { declarationProblems, type ParameterSpec } from './parameter-spec';
import { findPlaceholders, substitute } from './placeholders';
import { renderTemplate } from './render';
import { TemplateFile } from './template-file';

export function checkTemplate(input: unknown): Result<TemplateFile> {
  const parsed = TemplateFile.safeParse(input);
  if (!parsed.success) return fail(zodIssuesToDomain(parsed.error.issues));
  const template = parsed.data;
  const issues: DomainIssue[] = [];
  const seen = new Set<string>();
  template.parameters.forEach((spec, i) => {
    const at = joinPath('parameters', i);
    if (seen.has(spec.name)) issues.push({ path: joinPath(at, 'name'), message: `parameter ${spec.name} is declared twice` });
    seen.add(spec.name);
    for (const problem of declarationProblems(spec)) issues.push({ path: joinPath(at, problem.field), message: problem.message });
  });
  const { uses, keysWithPlaceholders } = findPlaceholders(template.campaign, 'campaign');
  for (const path of keysWithPlaceholders) issues.push({ path, message: 'placeholders go in values, not in field names or state names' });
  const used = new Set<string>();
  for (const use of uses) {
    for (const name of use.parameters) {
      used.add(name);
      if (!seen.has(name)) issues.push({ path: use.path, message: `{{${name}}} is not a declared parameter` });
    }
  }
  issues.push(...textAsMessageData(template.campaign, template.parameters));
  template.parameters.forEach((spec, i) => {
    if (!used.has(spec.name)) issues.push({ path: joinPath(joinPath('parameters', i), 'name'), message: `parameter ${spec.name} is not used in the campaign` });
  });
  if (issues.length > 0) return fail(issues);
  const rendered = renderTemplate(template);
  if (rendered.ok) return ok(template);
  // Reported where the file needs fixing: the campaign body, as rendered with the defaults.
  const compiled = compileCampaign(substitute(template.campaign, Object.fromEntries(template.parameters.map((p) => [p.name, p.default]))), { admitting: true });
  const found = compiled.ok ? rendered.issues : compiled.issues.map((i) => ({ ...i, path: i.path ? joinPath('campaign', i.path) : 'campaign' }));
  return fail(found.map((i) => ({ ...i, message: `with the defaults: ${i.message}` })));
}

/** Types whose values keep their JSON type in the campaign (a number, a boolean); every other type's value is text. */
const NON_TEXT_TYPES: ReadonlySet<ParameterSpec['type']> = new Set(['integer', 'number', 'boolean']);

/**
 * A text parameter placed as the whole of a message `data` value. Such a
 * value is an expression when it parses as one (CAMPAIGNS.md), so the
 * placeholder would make an expression of whatever is filled in: `friendly`
 * reads the fact event.friendly (null), `user.email` the profile, while
 * `Hello there!` goes as text; whoever fills the template in cannot add the
 * quotes. Quoted in the template (`"'{{tone}}'"`), every value is text:
 * substitute escapes a value placed inside a quoted literal (`It's on us`
 * stays that text, and cannot end the literal).
 */
function textAsMessageData(campaign: Record<string, unknown>, parameters: readonly ParameterSpec[]): DomainIssue[] {
  const text = new Map(parameters.filter((p) => !NON_TEXT_TYPES.has(p.type)).map((p) => [p.name, p.type]));
  const issues: DomainIssue[] = [];
  for (const [path, value] of messageDataValues(campaign)) {
    const name = typeof value === 'string' ? wholePlaceholder(value) : undefined;
    const type = name === undefined ? undefined : text.get(name);
    if (type === undefined) continue;
    issues.push({
      path,
      message: `{{${name}}} is a ${type} parameter: as the whole of a data value, its value is read as an expression whenever it parses as one (Welcome reads a fact of that name, which is null); write "'{{${name}}}'" to send it as text`,
    });
  }
  return issues;
}

/** The parameter a string is exactly one placeholder of: only then does substitute put the value in with its own type. */
function wholePlaceholder(value: string): string | undefined {
  const [name] = findPlaceholders(value).uses[0]?.parameters ?? [];
  return name !== undefined && substitute(value, { [name]: 0 }) === 0 ? name : undefined;
}

/** Every message step's `data` values, with their paths, in the states' action groups (nested groups included). */
function messageDataValues(campaign: Record<string, unknown>): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const visit = (step: unknown, path: string): void => {
    if (!isObject(step)) return;
    if (Array.isArray(step.steps)) step.steps.forEach((child, i) => visit(child, joinPath(joinPath(path, 'steps'), i)));
    if (step.type === 'message' && isObject(step.data)) {
      for (const [name, value] of Object.entries(step.data)) found.push([joinPath(joinPath(path, 'data'), name), value]);
    }
  };
  const states = isObject(campaign.states) ? campaign.states : {};
  for (const [name, state] of Object.entries(states)) {
    if (isObject(state)) visit(state.actions, joinPath(joinPath(joinPath('campaign', 'states'), name), 'actions'));
  }
  return found;
}
