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
 * serves at /console; skipped the same way when neither console/ nor the
 * typed client it imports (clients/ts/src) nor the lockfile changed, with its
 * own stamp (dist/.console-stamp), so an API-only change does not rebuild it.
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
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

/** One hash of the console's inputs: its sources, the typed client it imports, and the lockfile. */
function consoleInputHash(root) {
  const files = [...filesUnder(path.join(root, 'console')), ...filesUnder(path.join(root, 'clients/ts/src')), path.join(root, 'package-lock.json')]
    .filter((f) => existsSync(f))
    .sort();
  const hash = createHash('sha256').update(process.version);
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function consoleUpToDate(root) {
  const stamp = path.join(root, CONSOLE_STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, CONSOLE_OUTPUT))) return false;
  return readFileSync(stamp, 'utf8').trim() === consoleInputHash(root);
}

/** `vite build` of console/ into dist/console; skipped when its inputs did not change. */
function buildConsole(root, { force = false, log = console.log } = {}) {
  if (!force && consoleUpToDate(root)) {
    log('build: console unchanged since the last build; skipped');
    return false;
  }
  const hash = consoleInputHash(root);
  rmSync(path.join(root, CONSOLE_STAMP), { force: true });
  const started = Date.now();
  // vite's package exports hide bin/; its package.json says where the command is.
  const vitePackage = require.resolve('vite/package.json', { paths: [root] });
  const vite = path.join(path.dirname(vitePackage), require(vitePackage).bin.vite);
  // Always React's production build, as users get it: vite keeps a NODE_ENV it finds (jest sets "test"), and React
  // then bundles its development build, whose StrictMode runs every effect twice (each load asked for twice). The stamp
  // does not know the mode, so the development build was what `npm start` served after `npm test`.
  execFileSync(process.execPath, [vite, 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  writeFileSync(path.join(root, CONSOLE_STAMP), `${hash}\n`);
  log(`build: console done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

module.exports = { inputHash, upToDate, STAMP, consoleInputHash, consoleUpToDate, buildConsole, CONSOLE_STAMP };

if (require.main === module) {
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
