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

module.exports = { inputHash, upToDate, STAMP };

if (require.main === module) {
  try {
    build(path.resolve(__dirname, '..'), { force: process.argv.includes('--force') });
  } catch {
    process.exit(1); // tsc or the bundler printed why
  }
}
