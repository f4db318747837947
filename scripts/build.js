#!/usr/bin/env node
'use strict';
/**
 * `npm run build` (and so `npm start`): compiles and bundles the workflows,
 * or does nothing when no input changed since the last build. The inputs are
 * hashed (every file under src/ and clients/ts/src/ (the CLI compiles the
 * typed client in) but tests, the tsconfigs, package.json and
 * the lockfile); the hash is kept in dist/.build-stamp once both steps
 * succeeded, so a failed or interrupted build is never taken as done.
 * `npm run build -- --force` builds regardless.
 *
 * Then the console (console/, React + Vite) into dist/console, which the API
 * serves at /console; skipped the same way when none of its inputs changed,
 * with its own stamp (dist/.console-stamp). Its inputs are console/, the typed
 * client it imports (clients/ts/src), the lockfile, tsconfig.json, and every
 * other file of the checkout the last build bundled (the src/domain modules
 * the console imports), as that build recorded them in
 * dist/.console-modules.json. An API-only change does not rebuild it.
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const OUTPUTS = ['dist/src/main.js', 'dist/workflow-bundle.js'];
const STAMP = 'dist/.build-stamp';

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.test\.ts$/.test(entry.name) ? [] : [file];
  });
}

/** One hash of every build input: names and contents, in a stable order. */
function inputHash(root) {
  const files = [...sourceFiles(path.join(root, 'src')), ...(existsSync(path.join(root, 'clients/ts/src')) ? sourceFiles(path.join(root, 'clients/ts/src')) : []), ...INPUT_FILES.map((f) => path.join(root, f)).filter((f) => existsSync(f))].sort();
  const hash = createHash('sha256').update(process.version);
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** True when the last build was of exactly these inputs and its outputs are still there. */
function upToDate(root) {
  const stamp = path.join(root, STAMP);
  if (!existsSync(stamp) || !OUTPUTS.every((f) => existsSync(path.join(root, f)))) return false;
  return readFileSync(stamp, 'utf8').trim() === inputHash(root);
}

function build(root, { force = false, log = console.log } = {}) {
  if (!force && upToDate(root)) {
    log('build: nothing changed since the last build; skipped (npm run build -- --force builds anyway)');
    return false;
  }
  const hash = inputHash(root);
  rmSync(path.join(root, STAMP), { force: true });
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['dist/src/provisioning/bundle-workflows.js'], { cwd: root, stdio: 'inherit' });
  writeFileSync(path.join(root, STAMP), `${hash}\n`);
  log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

const CONSOLE_STAMP = 'dist/.console-stamp';
const CONSOLE_OUTPUT = 'dist/console/index.html';

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(file);
    return /\.test\.tsx?$/.test(entry.name) ? [] : [file];
  });
}

/**
 * The console's inputs that are not a module Vite loads: the lockfile (its dependencies), and tsconfig.json, whose
 * compiler options Vite's TypeScript transform applies to the src/ modules the console imports.
 */
const CONSOLE_INPUT_FILES = ['package-lock.json', 'tsconfig.json'];
/** The files of the checkout the last console build bundled, from the root; written by that build. */
const CONSOLE_MODULES = 'dist/.console-modules.json';
/** Runs scripts/build.js as the child process that runs Vite (see viteBuildConsole). */
const VITE_CHILD = '--vite-build-console';

const digestOf = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What the last build recorded in CONSOLE_MODULES; null when it recorded nothing readable. */
function bundledModules(root) {
  try {
    const modules = JSON.parse(readFileSync(path.join(root, CONSOLE_MODULES), 'utf8'));
    return Array.isArray(modules) && modules.every((m) => typeof m === 'string') ? modules : null;
  } catch {
    return null;
  }
}

function consoleInputFiles(root) {
  const files = [
    ...filesUnder(path.join(root, 'console')),
    ...filesUnder(path.join(root, 'clients/ts/src')),
    ...CONSOLE_INPUT_FILES.map((f) => path.join(root, f)),
    ...(bundledModules(root) ?? []).map((m) => path.join(root, m)),
  ];
  return [...new Set(files)].filter((f) => existsSync(f)).sort();
}

/**
 * One hash of the console's inputs (see the top of this file). A src/ file the console does not bundle is not in it,
 * so an API-only change keeps the console. `digest` gives a file's digest: the build passes the ones it took before
 * Vite read the files.
 */
function consoleInputHash(root, digest = digestOf) {
  const hash = createHash('sha256').update(process.version);
  for (const file of consoleInputFiles(root)) hash.update(path.relative(root, file)).update('\0').update(digest(file)).update('\0');
  return hash.digest('hex');
}

function consoleUpToDate(root) {
  const stamp = path.join(root, CONSOLE_STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, CONSOLE_OUTPUT)) || !bundledModules(root)) return false;
  return readFileSync(stamp, 'utf8').trim() === consoleInputHash(root);
}

/** `vite build` of console/ into dist/console; skipped when its inputs did not change. */
function buildConsole(root, { force = false, log = console.log } = {}) {
  if (!force && consoleUpToDate(root)) {
    log('build: console unchanged since the last build; skipped');
    return false;
  }
  rmSync(path.join(root, CONSOLE_STAMP), { force: true });
  rmSync(path.join(root, CONSOLE_MODULES), { force: true });
  // Digests of whatever Vite may read, taken before it runs: a file changed during the build then fails the next check.
  const before = new Map([...consoleInputFiles(root), ...filesUnder(path.join(root, 'src'))].map((f) => [f, digestOf(f)]));
  const started = Date.now();
  // Always React's production build, as users get it: vite keeps a NODE_ENV it finds (jest sets "test"), and React
  // then bundles its development build, whose StrictMode runs every effect twice (each load asked for twice). The stamp
  // does not know the mode, so the development build was what `npm start` served after `npm test`.
  execFileSync(process.execPath, [__filename, VITE_CHILD, root], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  writeFileSync(path.join(root, CONSOLE_STAMP), `${consoleInputHash(root, (f) => before.get(f) ?? digestOf(f))}\n`);
  log(`build: console done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** The checkout's files among Vite's module ids (no dependency, no virtual module), from the root, sorted. */
function checkoutFiles(root, moduleIds) {
  const real = realpathSync(root); // Vite's ids are real paths
  const files = moduleIds
    .map((id) => id.split('?')[0])
    .filter((f) => path.isAbsolute(f) && f.startsWith(real + path.sep) && !f.split(path.sep).includes('node_modules') && existsSync(f))
    .map((f) => path.relative(real, f));
  return [...new Set(files)].sort();
}

/**
 * `vite build --config console/vite.config.ts`, recording in CONSOLE_MODULES the files of the checkout in its module
 * graph. Runs in a child process (buildConsole is synchronous; Vite's API is not, and is ESM only).
 */
async function viteBuildConsole(root) {
  const { build } = await import('vite');
  const moduleIds = [];
  await build({
    configFile: path.join(root, 'console/vite.config.ts'),
    logLevel: 'warn',
    plugins: [
      {
        name: 'kairos-record-bundled-files',
        // Every module of the graph, tree-shaken ones too: a change to one may bring it into the bundle.
        buildEnd() {
          moduleIds.push(...this.getModuleIds());
        },
      },
    ],
  });
  const files = checkoutFiles(root, moduleIds);
  // An empty list would make every src/ change look API-only (a Vite that stopped calling the hook, say): fail instead.
  if (!files.some((f) => f.startsWith(`console${path.sep}`))) throw new Error(`vite build: no file of console/ among the ${moduleIds.length} modules it bundled`);
  writeFileSync(path.join(root, CONSOLE_MODULES), `${JSON.stringify(files, null, 2)}\n`);
}

module.exports = { inputHash, upToDate, STAMP, consoleInputHash, consoleUpToDate, buildConsole, CONSOLE_STAMP, CONSOLE_MODULES };

if (require.main === module && process.argv[2] === VITE_CHILD) {
  viteBuildConsole(process.argv[3]).catch((err) => {
    // The parent exits with this status and prints nothing more (see the end of this file): say why here.
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  try {
    const root = path.resolve(__dirname, '..');
    build(root, { force: process.argv.includes('--force') });
    buildConsole(root, { force: process.argv.includes('--force') });
  } catch (err) {
    // tsc, the bundler or vite printed why; anything else is said here.
    if (!(err && err.status)) console.error(err);
    process.exit(1);
  }
}
