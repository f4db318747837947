/**
 * The pure parts of `kairos templates`: reading `--set name=value` flags into
 * the values the render endpoint takes, and showing a template's parameters as
 * table rows. The server checks every value against its declaration; the CLI
 * only turns text into the JSON type the declaration asks for, so a value it
 * cannot turn (`--set amount=lots`) still goes to the server and comes back
 * as a 400 at `parameters.amount`.
 */
import type { Cell } from './table';
import { CliError, ExitCode } from './exit-codes';
import { decimalNumber } from './decimal';

/** A parameter as GET /v1/templates/{key} describes it (only the fields the CLI reads). */
export interface ParameterView {
  name: string;
  type: string;
  label: string;
  help: string;
  default: string | number | boolean;
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  options?: string[];
  kind?: string;
}

/** One `--set` flag's text as the JSON value its parameter's type takes. */
export function parameterValue(spec: ParameterView | undefined, text: string): string | number | boolean {
  switch (spec?.type) {
    case 'integer':
    case 'number': {
      return decimalNumber(text) ?? text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/** One `--set name=value` flag as its name and text; anything else is a usage error, said before anything is sent. */
export function splitSet(set: string): [name: string, text: string] {
  const eq = set.indexOf('=');
  if (eq <= 0) throw new CliError(`--set takes name=value, e.g. --set remindAfter=P3D (got "${set}")`, ExitCode.usage);
  return [set.slice(0, eq), set.slice(eq + 1)];
}

/**
 * Every `--set` flag as its name and text. A name given twice is a usage
 * error, as a key given twice across `--prop` flags is: one of the values
 * would be dropped without a word.
 */
export function splitSets(sets: readonly string[]): Array<[name: string, text: string]> {
  const split = sets.map(splitSet);
  const seen = new Set<string>();
  for (const [name] of split) {
    if (seen.has(name)) throw new CliError(`--set ${name}: given twice; say it once`, ExitCode.usage);
    seen.add(name);
  }
  return split;
}

/** `--set name=value` flags (each name once: splitSets) as the render request's parameters. */
export function parametersFromSets(sets: readonly string[], specs: readonly ParameterView[]): Record<string, string | number | boolean> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values: Record<string, string | number | boolean> = {};
  for (const [name, text] of splitSets(sets)) values[name] = parameterValue(byName.get(name), text);
  return values;
}

/** What a value may be, in a few words: a range, a length, a list of options, a pool kind. */
export function parameterBounds(spec: ParameterView): string {
  switch (spec.type) {
    case 'integer':
    case 'number':
    case 'duration':
      return `${spec.min} .. ${spec.max}`;
    case 'string':
      return `${spec.minLength ?? 1}..${spec.maxLength} chars${spec.pattern ? `, /${spec.pattern}/` : ''}`;
    case 'choice':
      return (spec.options ?? []).join(' | ');
    case 'pool':
      return `a ${spec.kind} pool`;
    case 'boolean':
      return 'true | false';
    case 'channel':
      return 'a message channel';
    case 'eventType':
      return 'an event type';
    case 'timezone':
      return 'an IANA time zone';
    default:
      return '';
  }
}

export const PARAMETER_COLUMNS = ['name', 'type', 'default', 'bounds', 'help'];

/** One table row per parameter, in the template's order. */
export function parameterRows(specs: readonly ParameterView[]): Cell[][] {
  return specs.map((s) => [s.name, s.type, String(s.default), parameterBounds(s), s.help]);
}
