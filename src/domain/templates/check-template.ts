/**
 * Whether a parsed template file is usable: the shape, each parameter's
 * declaration, the placeholders against the parameters (every placeholder
 * declared, every parameter used), and a render with the defaults that
 * compiles. Paths point into the file (`parameters[2].default`,
 * `campaign.states.collecting.transitions[0].when`), so a broken file fails
 * loudly at boot and in the tests with the place to fix.
 */
import { compileCampaign } from '../compiler';
import { fail, joinPath, ok, type DomainIssue, type Result } from '../issues';
import { zodIssuesToDomain } from '../zod-issues';
import { declarationProblems } from './parameter-spec';
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
