import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { fileProblemReason } from './api';
import { CliError, ExitCode } from './exit-codes';
import { readFileBytes } from './io';
import { parseSource, type SourceDocument } from './source-document';
import { firstNonUtf8, hasLoneSurrogate, LONE_SURROGATE_KEY, notUtf8Message } from './utf8';
import { locate } from './yaml-positions';
import { Key } from '../domain/campaign/schema';
import { isObject } from '../domain/is-object';

const CAMPAIGN_FILE = /\.(ya?ml|json)$/i;

/**
 * The campaign files named: a file as it is, a folder's .yaml/.yml/.json
 * files (sub-folders too) in name order. A symbolic link is taken as what
 * it points to (a folder shared between repositories is walked like any
 * other); each folder and file is taken once, however many links lead to
 * it, so a link to a folder above it cannot loop.
 */
export function campaignFiles(target: string, cwd: string): string[] {
  const full = path.resolve(cwd, target);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new CliError(`no such file or folder: ${target}`, ExitCode.usage);
  }
  if (!stat.isDirectory()) return [target];
  const seen = new Set<string>([realpathSync(full)]);
  const files = walkFolder(path.relative(cwd, full) || '.', cwd, seen);
  if (files.length === 0) throw new CliError(`no .yaml, .yml or .json files in ${target}`, ExitCode.usage);
  return files;
}

/** The campaign files under `dir` (relative to `cwd`), in name order; `seen` holds the real paths already taken. */
function walkFolder(dir: string, cwd: string, seen: Set<string>): string[] {
  return readdirSync(path.join(cwd, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const name = path.join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? linkTarget(name, cwd) : entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
      if (kind === 'other' || (kind === 'file' && !CAMPAIGN_FILE.test(entry.name))) return [];
      const real = realpathSync(path.join(cwd, name));
      if (seen.has(real)) return [];
      seen.add(real);
      return kind === 'folder' ? walkFolder(name, cwd, seen) : [name];
    });
}

/** What a symbolic link in a folder points to; a broken one is a usage error naming it, not something quietly left out. */
function linkTarget(link: string, cwd: string): 'folder' | 'file' | 'other' {
  let target;
  try {
    target = statSync(path.join(cwd, link));
  } catch (err) {
    const reason = (err as { code?: unknown }).code === 'ENOENT' ? 'is not there' : `cannot be read (${fileProblemReason(err) ?? (err as Error).message})`;
    throw new CliError(`${link}: a symbolic link to ${linkedPath(path.join(cwd, link))}, which ${reason}: fix or remove the link`, ExitCode.usage);
  }
  return target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
}

/** Where a link points, as it is written. */
function linkedPath(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return 'a path that cannot be read';
  }
}

/**
 * No Kairos takes a campaign over 1 MB (MAX_CAMPAIGN_BYTES is at most that),
 * and parsing YAML with positions costs seconds per megabyte: a file twice
 * that is refused before it is read.
 */
const MAX_CAMPAIGN_FILE_BYTES = 2 * 1024 * 1024;

/** The problem line for a campaign file too large for any Kairos, or undefined. */
function oversizedFileProblem(file: string, cwd: string): string | undefined {
  let size: number;
  try {
    size = statSync(path.resolve(cwd, file)).size;
  } catch {
    return undefined; // reading it says why
  }
  if (size <= MAX_CAMPAIGN_FILE_BYTES) return undefined;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${file}:1:1 (document) the file is ${mb(size)}: no Kairos takes a campaign over 1 MB (MAX_CAMPAIGN_BYTES, 512 KB by default), so it was not read`;
}

export function readSource(file: string, cwd: string): SourceDocument {
  const bytes = readFileBytes({ cwd }, file);
  const bad = firstNonUtf8(bytes);
  // A problem of this file at its line, as a syntax error is: the other files of a folder still go.
  if (bad) return { ...parseSource(file, ''), value: undefined, syntaxErrors: [{ line: bad.line, col: bad.col, message: notUtf8Message(bad) }] };
  return parseSource(file, bytes.toString('utf8'));
}

/** A campaign file read and parsed, or the problem lines that say why it is not: too large to read, or not YAML/JSON. */
export function loadCampaignSource(file: string, cwd: string): { source: SourceDocument } | { problems: string[] } {
  const oversized = oversizedFileProblem(file, cwd);
  if (oversized) return { problems: [oversized] };
  const source = readSource(file, cwd);
  return source.syntaxErrors.length ? { problems: syntaxLines(source) } : { source };
}

/** `file:line:col path message`, the form editors and CI annotations pick up. */
export function problemLine(source: SourceDocument, issue: { path: string; message: string; position?: number }): string {
  const { line, col } = locate(source, issue.path, issue.position);
  return `${source.file}:${line}:${col} ${issue.path || '(document)'} ${issue.message}`;
}

export function syntaxLines(source: SourceDocument): string[] {
  return source.syntaxErrors.map((e) => `${source.file}:${e.line}:${e.col} (syntax) ${e.message}`);
}


/** The campaign's key, or the problem line that says it is missing, or one Kairos takes no campaign under. */
export function campaignKey(source: SourceDocument): { key: string } | { problem: string } {
  if (isObject(source.value) && typeof source.value.key === 'string' && source.value.key) {
    const refused = keyProblem(Key, source.value.key);
    return refused === undefined ? { key: source.value.key } : { problem: problemLine(source, { path: 'key', message: refused }) };
  }
  return { problem: problemLine(source, { path: 'key', message: 'a campaign needs a key (a string) to be applied or compared' }) };
}

/**
 * Why Kairos stores nothing under `key`, by its own key rules (`schema`:
 * the domain's Key, or SourceKey), or undefined when it may. Checked before
 * the key is looked up in a URL: `..` made `/v1/campaigns/../versions` a
 * request for `/v1/versions`, whose "no such route" stopped a whole folder,
 * and half a surrogate pair is no URL at all. A key refused so is its
 * file's problem, at `key`; nothing valid is lost, as Kairos holds none.
 */
export function keyProblem(schema: z.ZodType<string>, key: string): string | undefined {
  if (hasLoneSurrogate(key)) return LONE_SURROGATE_KEY;
  const checked = schema.safeParse(key);
  return checked.success ? undefined : `Kairos takes no such key: ${checked.error.issues[0]?.message ?? 'refused'}`;
}

/**
 * Fields the API takes beside a definition but that a campaign file must not
 * carry: a file is the definition, as `validate` compiles it and `diff`
 * compares it. With them, `validate` refused the file while `apply` stored
 * it, and every `apply` added a version (the stored definition never has them).
 */
const NOT_IN_A_FILE: Record<string, string> = {
  layout: 'is not part of a campaign definition: the canvas keeps node positions with each version; remove it from the file',
  baseVersion: 'is not part of a campaign definition: apply sends the version it compared with itself (--force skips that check); remove it from the file',
};

/** Problem lines for fields of the API's envelope in a campaign file (empty when there are none). */
export function envelopeFieldProblems(source: SourceDocument): string[] {
  if (!isObject(source.value)) return [];
  const value = source.value;
  return Object.keys(NOT_IN_A_FILE)
    .filter((field) => field in value)
    .map((field) => problemLine(source, { path: field, message: NOT_IN_A_FILE[field] }));
}
