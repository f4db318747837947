import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config/config';

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
  return whyNotExecutable(file) === null;
}

/** Why a path is no program to run (missing, a folder, no execute permission); null when it is one. */
function whyNotExecutable(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return 'not a file';
    accessSync(file, constants.X_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' ? 'not executable' : ((err as Error).message ?? String(err));
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
 * TemporalUnavailableError saying what to install when nothing works. A
 * TEMPORAL_CLI that is set but no executable file is configuration (a
 * ConfigError, exit code 2): never passed over for another binary on PATH,
 * maybe of another version, or a build of ten minutes.
 */
export async function resolveTemporalCli(lookup: BinaryLookup = {}): Promise<string> {
  const tried: string[] = [];
  // Go's default install folder is searched too: a fresh shell may not have it on PATH yet.
  const searchPath = lookup.searchPath ?? [process.env.PATH ?? '', '/usr/local/go/bin'].join(path.delimiter);
  if (lookup.cliPath) {
    const why = whyNotExecutable(lookup.cliPath);
    if (why === null) return lookup.cliPath;
    throw new ConfigError([
      `TEMPORAL_CLI=${lookup.cliPath}: not an executable file (${why}): set it to the path of the \`temporal\` binary, or unset it to use \`temporal\` on PATH or the one built into the cache`,
    ]);
  }
  tried.push('TEMPORAL_CLI: not set');
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

/** How often the build says it is still going. */
const PROGRESS_EVERY_MS = 15_000;

/** `1m 05s`, `45s`. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return m > 0 ? `${m}m ${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/**
 * What `go install -v` has done so far, read from its stderr: `go: downloading
 * <module>` lines while modules are fetched, then one import path per package
 * compiled. A progress line is made of it.
 */
export class GoBuildProgress {
  modules = 0;
  packages = 0;
  last = '';

  take(line: string): void {
    const text = line.trim();
    if (!text) return;
    const downloading = /^go: downloading (\S+)/.exec(text);
    if (downloading) {
      this.modules++;
      this.last = downloading[1];
    } else if (/^[\w.-]+(\/[\w.~-]+)*$/.test(text)) {
      this.packages++;
      this.last = text;
    }
  }

  describe(elapsedMs: number): string {
    const phase = this.packages > 0 ? `compiling: ${this.packages} packages so far (last ${this.last})` : this.modules > 0 ? `downloading modules: ${this.modules} so far (last ${this.last})` : 'resolving the module';
    return `  ... building the Temporal CLI, ${formatElapsed(elapsedMs)} elapsed; ${phase}`;
  }
}

function goInstall(go: string, binDir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${binDir} (first run only; about 10 minutes on 2 cores, 1-2 with Go's caches warm).`);
  const started = Date.now();
  const progress = new GoBuildProgress();
  return new Promise((resolve, reject) => {
    // -v: one line per package compiled, which the progress lines count. Go's module and build caches
    // (GOMODCACHE, GOCACHE) are used as they are: with both warm the build took 77 s instead of 322 s
    // (modules cached, build cache cold). -trimpath did not help (407 s cold): it only changes cache keys.
    const child = spawn(
      go,
      ['install', '-v', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, `${MODULE}@v${TEMPORAL_CLI_VERSION}`],
      { env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir }, stdio: ['ignore', 'ignore', 'pipe'], cwd: os.tmpdir() },
    );
    let stderr = '';
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr = (stderr + text).slice(-4000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) progress.take(line);
    });
    const ticker = setInterval(() => log(progress.describe(Date.now() - started)), PROGRESS_EVERY_MS);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${GO_BUILD_TIMEOUT_MS / 60_000} minutes`));
    }, GO_BUILD_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      clearInterval(ticker);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('exit', (code) => {
      done();
      if (code === 0) {
        log(`Built the Temporal CLI in ${formatElapsed(Date.now() - started)} (${progress.packages} packages).`);
        resolve();
      } else reject(new Error(`exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
