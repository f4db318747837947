/**
 * Reads the template folder (KAIROS_TEMPLATES_DIR, default the repo's
 * examples/templates) once at boot. Adding a play is adding a file; a file
 * that does not parse, is refused by checkTemplate, or is not named after its
 * key stops the boot with every problem and its place, instead of a gallery
 * that silently lacks a play.
 */
import '../../security/linear-regexp-engine';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { duplicateKeyPath, keyTwiceWords } from '../../domain/json-duplicate-keys';
import { checkTemplate, type TemplateFile } from '../../domain/templates';
import { formatPath } from '../../domain/zod-issues';

export class TemplateFilesError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid campaign templates:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Any case (`.YAML`, `.Json`): a file named so is a template all the same, not one left out without a word. */
const EXTENSIONS = /\.(ya?ml|json)$/i;
const isJson = (name: string): boolean => /\.json$/i.test(name);

/** A byte order mark, as some editors (Windows Notepad) start a UTF-8 file with: not part of the text. */
const BOM = '\uFEFF';

/** Thrown for a file that parses but names one key twice in one object (its message: `path: what to do`). */
class KeyTwice extends Error {}

/**
 * The file's contents. A key named twice in one object is refused at its
 * path, in JSON as in YAML (whose parser refuses it by default): JSON.parse
 * would keep the last value without a word (`"max": 500, ..., "max": 50`
 * loading as 50). The text is checked for that as soon as JSON.parse has
 * taken it (the scan trusts the grammar), before its value is used.
 */
function parseFile(file: string): unknown {
  const read = readFileSync(file, 'utf8');
  const text = read.startsWith(BOM) ? read.slice(BOM.length) : read;
  if (!isJson(file)) return parseYaml(text, { prettyErrors: true });
  const value: unknown = JSON.parse(text);
  const twice = duplicateKeyPath(text);
  if (twice) throw new KeyTwice(`${formatPath('', twice) || '(top)'}: ${keyTwiceWords(twice[twice.length - 1])}`);
  return value;
}

/** Every template in `dir`, ordered by key; throws TemplateFilesError naming each bad file and path. */
export function loadTemplateFiles(dir: string): TemplateFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => EXTENSIONS.test(n)).sort();
  } catch (e) {
    throw new TemplateFilesError([`${dir}: cannot read the folder (${e instanceof Error ? e.message : String(e)})`]);
  }
  const problems: string[] = [];
  const byKey = new Map<string, string>();
  const templates: TemplateFile[] = [];
  for (const name of names) {
    let input: unknown;
    try {
      input = parseFile(path.join(dir, name));
    } catch (e) {
      if (e instanceof KeyTwice) {
        problems.push(`${name}: ${e.message}`);
        continue;
      }
      problems.push(`${name}: not valid ${isJson(name) ? 'JSON' : 'YAML'}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const checked = checkTemplate(input);
    if (!checked.ok) {
      for (const issue of checked.issues) problems.push(`${name}: ${issue.path || '(top)'}: ${issue.message}`);
      continue;
    }
    const template = checked.value;
    if (name.replace(EXTENSIONS, '') !== template.key) problems.push(`${name}: key "${template.key}" must match the file name (${template.key}.yaml)`);
    const other = byKey.get(template.key);
    if (other) problems.push(`${name}: key "${template.key}" is also the key of ${other}`);
    byKey.set(template.key, name);
    templates.push(template);
  }
  if (problems.length > 0) throw new TemplateFilesError(problems);
  return templates.sort((a, b) => a.key.localeCompare(b.key));
}
