import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest CLI tag `go install` accepts (DESIGN.md, "Getting a Temporal server"). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
const GO_BUILD_TIMEOUT_MS = 20 * 60_000;

export class TemporalUnavailableError extends Error {
  constructor(readonly tried: string[], hint: string) {
    super(
      [
        'No Temporal server could be had.',
        'Tried:',
        ...tried.map((t) => `  - ${t}`),
        hint,
      ].join('\n'),
    );
    this.name = 'TemporalUnavailableError';
  }
}

export interface BinaryLookup {
  /** TEMPORAL_CLI: an explicit path to the `temporal` binary. */
  cliPath?: string;
  /** Where a built CLI is cached, outside the repo (default ~/.cache/kairos). */
  cacheDir?: string;
  /** The PATH to search; defaults to this process's. */
  searchPath?: string;
  /** Build with Go when nothing is found (default true). */
  allowBuild?: boolean;
  log?: (line: string) => void;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kairos');
}

export function cachedCliPath(cacheDir = defaultCacheDir()): string {
  return path.join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a `temporal` binary: TEMPORAL_CLI, then PATH, then the cache; builds
 * it with `go install` into the cache when Go is present. Throws
 * TemporalUnavailableError saying what to install when nothing works.
 */
export async function resolveTemporalCli(lookup: BinaryLookup = {}): Promise<string> {
  const tried: string[] = [];
  // Go's default install folder is searched too: a fresh shell may not have it on PATH yet.
  const searchPath = lookup.searchPath ?? [process.env.PATH ?? '', '/usr/local/go/bin'].join(path.delimiter);
  if (lookup.cliPath) {
    if (isExecutable(lookup.cliPath)) return lookup.cliPath;
    tried.push(`TEMPORAL_CLI=${lookup.cliPath}: not an executable file`);
  } else {
    tried.push('TEMPORAL_CLI: not set');
  }
  const onPath = findOnPath('temporal', searchPath);
  if (onPath) return onPath;
  tried.push('`temporal` on PATH: not found');

  const cached = cachedCliPath(lookup.cacheDir ?? defaultCacheDir());
  if (isExecutable(cached)) return cached;
  tried.push(`cache ${cached}: not built yet`);

  const go = findOnPath('go', searchPath);
  if (!go) {
    tried.push('`go` on PATH: not found, so the CLI cannot be built');
    throw new TemporalUnavailableError(tried, installHint());
  }
  if (lookup.allowBuild === false) {
    tried.push('building with Go: disabled');
    throw new TemporalUnavailableError(tried, installHint());
  }
  try {
    await goInstall(go, path.dirname(cached), lookup.log ?? (() => undefined));
  } catch (err) {
    tried.push(`go install ${MODULE}@v${TEMPORAL_CLI_VERSION}: ${(err as Error).message}`);
    throw new TemporalUnavailableError(tried, installHint());
  }
  if (isExecutable(cached)) return cached;
  tried.push(`go install finished but ${cached} is missing`);
  throw new TemporalUnavailableError(tried, installHint());
}

function installHint(): string {
  return [
    'Do one of these:',
    '  - set TEMPORAL_ADDRESS to a running Temporal server (host:port);',
    '  - install the Temporal CLI and put `temporal` on PATH, or set TEMPORAL_CLI to its path;',
    `  - install Go 1.22+ so Kairos can build the CLI itself (go install ${MODULE}@v${TEMPORAL_CLI_VERSION}).`,
  ].join('\n');
}

function goInstall(go: string, binDir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${binDir} (first run only; a few minutes)...`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      go,
      ['install', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, `${MODULE}@v${TEMPORAL_CLI_VERSION}`],
      { env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir }, stdio: ['ignore', 'ignore', 'pipe'], cwd: os.tmpdir() },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${GO_BUILD_TIMEOUT_MS / 60_000} minutes`));
    }, GO_BUILD_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
