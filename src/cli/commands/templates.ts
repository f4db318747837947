import type { Command } from 'commander';
import { KairosApiError, orNotFound, unwrap } from '../api';
import type { CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { nonEmptyFlag } from '../non-empty-flag';
import { collectFlag } from '../single-value-flags';
import { printList, renderTable } from '../table';
import { printable } from '../terminal-text';
import { PARAMETER_COLUMNS, parameterRows, parametersFromSets, splitSets, type ParameterView } from '../template-parameters';
import { writeOutputFile } from '../write-file';
import { yamlForFile } from '../yaml-text';

interface Template {
  key: string;
  title: string;
  description: string;
  parameters: ParameterView[];
}

async function getTemplate(ctx: CommandContext, key: string): Promise<Template & { campaign: Record<string, unknown> }> {
  const template = await orNotFound(ctx.client.GET('/v1/templates/{key}', { params: { path: { key } } }));
  if (!template) throw new CliError(`no template ${key} (kairos templates list shows them)`, ExitCode.failure);
  return template as Template & { campaign: Record<string, unknown> };
}

async function list(ctx: CommandContext): Promise<ExitCode> {
  const { templates } = await unwrap(ctx.client.GET('/v1/templates'));
  printList(ctx, { json: { templates }, columns: ['key', 'title', 'parameters'], rows: templates.map((t) => [t.key, t.title, t.parameters.map((p) => p.name).join(', ')]) });
  return ExitCode.ok;
}

async function show(ctx: CommandContext, key: string): Promise<ExitCode> {
  const template = await getTemplate(ctx, key);
  if (ctx.json) {
    ctx.printJson(template);
    return ExitCode.ok;
  }
  ctx.out(`${template.key}: ${template.title}`);
  // The template folder's author writes a description in lines: each is printed as one.
  template.description.split(/\r?\n/).forEach((line) => ctx.out(line));
  ctx.out();
  ctx.io.stdout(renderTable(PARAMETER_COLUMNS, parameterRows(template.parameters)));
  ctx.out();
  ctx.out(`kairos templates render ${template.key} --set name=value ... --out ${template.key}.yaml`);
  return ExitCode.ok;
}

interface RenderFlags {
  set: string[];
  out?: string;
  key?: string;
  name?: string;
}

async function render(ctx: CommandContext, key: string, flags: RenderFlags): Promise<ExitCode> {
  // A malformed flag, or a name given twice, is the command line's mistake (exit 2), even with the server down.
  splitSets(flags.set);
  const template = await getTemplate(ctx, key);
  const parameters = parametersFromSets(flags.set, template.parameters);
  let rendered;
  try {
    rendered = await unwrap(
      ctx.client.POST('/v1/templates/{key}/render', {
        params: { path: { key } },
        body: { parameters, ...(flags.key !== undefined ? { key: flags.key } : {}), ...(flags.name !== undefined ? { name: flags.name } : {}) },
      }),
    );
  } catch (err) {
    if (!(err instanceof KairosApiError) || err.status !== 400 || !err.body) throw err;
    ctx.err(`${key}: ${err.body.error.message}`);
    for (const d of err.body.error.details) ctx.err(`  ${d.path || '(request)'} ${d.message}`);
    return ExitCode.failure;
  }
  const text = `${renderedHeader(key, rendered.parameters)}${yamlForFile(rendered.campaign)}`;
  if (flags.out) {
    writeOutputFile(ctx.io, flags.out, text);
    ctx.err(`${String(rendered.campaign.key)} written to ${flags.out} (kairos campaigns apply ${flags.out} --activate)`);
  } else ctx.io.stdout(text);
  return ExitCode.ok;
}

/**
 * The comment a rendered file starts with: the template, then each value
 * used (defaults included) on a line of its own, as JSON. A string
 * parameter may hold a line break; written raw, its second line would be
 * YAML of the file (`key: other` a field of the campaign).
 */
function renderedHeader(template: string, parameters: Record<string, unknown>): string {
  const lines = Object.entries(parameters).map(([name, value]) => `#   ${name}: ${commentSafeJson(value)}`);
  return [`# rendered from template ${template} by kairos templates render, with:`, ...lines].join('\n') + '\n';
}

// JSON.stringify escapes \n and \r, but leaves NEL and the line and paragraph separators, which YAML 1.1 readers break lines at,
// and the other C1 and bidirectional controls, which a terminal would obey: printable writes each as `\u0085`.
const commentSafeJson = (value: unknown): string => printable(JSON.stringify(value));

export function templatesCommand(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const templates = program.command('templates').description('campaign templates (plays): list them, see their parameters, render a draft campaign');
  templates
    .command('list')
    .description('the templates Kairos serves, with their parameter names')
    .action(() => run(() => list(ctx)));
  templates
    .command('show <key>')
    .description('a template and its parameters: type, default, bounds and help')
    .action((key: string) => run(() => show(ctx, key)));
  templates
    .command('render <key>')
    .description('fill in a template and print (or write) the campaign as YAML for kairos campaigns apply; nothing is saved')
    .option('--set <name=value>', 'a parameter value (repeat for more, each name once; others keep their defaults)', collectFlag, [])
    .option('--key <key>', "the campaign's key (default: the template's)", nonEmptyFlag)
    .option('--name <name>', "the campaign's name (default: the template's)", nonEmptyFlag)
    .option('-o, --out <file>', 'write the YAML to a file instead of stdout', nonEmptyFlag)
    .action((key: string, flags: RenderFlags) => run(() => render(ctx, key, flags)));
}
