import { execFileSync } from 'node:child_process';
import { defaultCachedJourneys } from './worker';

const GiB = 1024 * 1024 * 1024;

/**
 * What a worker process started with `--max-old-space-size=<mib>` caches by
 * default: the default is read in that process, so the heap flag an operator
 * sets is what the test varies (the jest process's own heap is fixed).
 */
function cachedJourneysInProcessWithHeap(mib: number): number {
  const load = [
    "const swc = require('@swc/core');",
    "const fs = require('fs');",
    "require.extensions['.ts'] = (m, file) => m._compile(swc.transformSync(fs.readFileSync(file, 'utf8'), { filename: file,",
    "  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },",
    "  module: { type: 'commonjs' } }).code, file);",
    `process.stdout.write(String(require(${JSON.stringify(require.resolve('./worker'))}).defaultCachedJourneys()));`,
  ].join('\n');
  const out = execFileSync(process.execPath, [`--max-old-space-size=${mib}`, '-e', load], { encoding: 'utf8' });
  return Number(out);
}

describe('defaultCachedJourneys', () => {
  it('keeps 2,000 journeys per GiB of heap above a 256 MiB reserve', () => {
    expect(defaultCachedJourneys(4 * GiB)).toBe(7500);
    expect(defaultCachedJourneys(1 * GiB + 256 * 1024 * 1024)).toBe(2000);
  });

  it('never goes below 100, even on a tiny heap', () => {
    expect(defaultCachedJourneys(128 * 1024 * 1024)).toBe(100);
  });

  it('follows the heap limit the worker process was started with', () => {
    // V8 adds its young generation (tens of MiB) to --max-old-space-size, hence the ranges.
    const small = cachedJourneysInProcessWithHeap(1280);
    const large = cachedJourneysInProcessWithHeap(4352);
    expect(small).toBeGreaterThanOrEqual(2000);
    expect(small).toBeLessThan(2300);
    expect(large).toBeGreaterThanOrEqual(8000);
    expect(large).toBeLessThan(8300);
    expect(cachedJourneysInProcessWithHeap(64)).toBe(100);
  });
});
