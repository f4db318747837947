import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// scripts/build.js runs before anything is compiled, so it is plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inputHash, upToDate, STAMP } = require('../scripts/build.js') as {
  inputHash: (root: string) => string;
  upToDate: (root: string) => boolean;
  STAMP: string;
};

describe('npm start skips the build when nothing changed', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kairos-build-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  beforeAll(() => {
    write('src/main.ts', 'export const a = 1;');
    write('src/domain/x.ts', 'export const x = 1;');
    write('src/domain/x.test.ts', 'test');
    write('package-lock.json', '{}');
    write('dist/src/main.js', '');
    write('dist/workflow-bundle.js', '');
  });

  it('is up to date only for the very inputs of the last build, with its outputs present', () => {
    expect(upToDate(root)).toBe(false); // never built
    write(STAMP, inputHash(root));
    expect(upToDate(root)).toBe(true);

    write('src/domain/x.test.ts', 'a test changed'); // tests are not build inputs
    expect(upToDate(root)).toBe(true);

    write('src/domain/x.ts', 'export const x = 2;');
    expect(upToDate(root)).toBe(false);
    write(STAMP, inputHash(root));
    write('src/domain/y.ts', 'export const y = 1;'); // a new file
    expect(upToDate(root)).toBe(false);
    write(STAMP, inputHash(root));
    write('package-lock.json', '{"changed":true}');
    expect(upToDate(root)).toBe(false);
    write(STAMP, inputHash(root));
    expect(upToDate(root)).toBe(true);
  });
});

describe('the console build is skipped when its own inputs did not change', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { consoleInputHash, consoleUpToDate, CONSOLE_STAMP } = require('../scripts/build.js') as {
    consoleInputHash: (root: string) => string;
    consoleUpToDate: (root: string) => boolean;
    CONSOLE_STAMP: string;
  };
  const root = mkdtempSync(path.join(os.tmpdir(), 'kairos-console-build-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  // What a build records of the checkout's files Vite bundled: the console's, and the src/domain modules it imports.
  const MODULES = 'dist/.console-modules.json';

  it('rebuilds for console/, the typed client, the lockfile, tsconfig.json or a src/ module it bundled; not for API sources or tests', () => {
    write('console/src/app.tsx', 'export {};');
    write('console/src/x.test.ts', 'test');
    write('clients/ts/src/index.ts', 'export {};');
    write('src/main.ts', 'export {};');
    write('src/domain/graph/words.ts', 'export const STRATEGY_WORDS = {};');
    write('src/domain/api-only.ts', 'export {};');
    write('package-lock.json', '{}');
    write('tsconfig.json', '{}');
    expect(consoleUpToDate(root)).toBe(false); // never built
    write(MODULES, JSON.stringify(['console/index.html', 'console/src/app.tsx', 'src/domain/graph/words.ts']));
    write(CONSOLE_STAMP, consoleInputHash(root));
    expect(consoleUpToDate(root)).toBe(false); // stamped, but no dist/console/index.html
    write('dist/console/index.html', '<!doctype html>');
    expect(consoleUpToDate(root)).toBe(true);

    write('src/main.ts', 'export const changed = 1;');
    write('src/domain/api-only.ts', 'export const changed = 1;'); // under src/domain, but the console does not bundle it
    write('console/src/x.test.ts', 'a test changed');
    expect(consoleUpToDate(root)).toBe(true);

    for (const file of ['src/domain/graph/words.ts', 'console/src/app.tsx', 'clients/ts/src/index.ts', 'package-lock.json', 'tsconfig.json']) {
      write(file, `// changed ${file}`);
      expect({ file, upToDate: consoleUpToDate(root) }).toEqual({ file, upToDate: false });
      write(CONSOLE_STAMP, consoleInputHash(root));
    }
    expect(consoleUpToDate(root)).toBe(true);
  });

  it('rebuilds when the last build left no readable record of what it bundled (a build from before the record, or a failed one)', () => {
    write(MODULES, JSON.stringify(['console/src/app.tsx', 'src/domain/graph/words.ts']));
    write(CONSOLE_STAMP, consoleInputHash(root));
    write('dist/console/index.html', '<!doctype html>');
    expect(consoleUpToDate(root)).toBe(true);
    rmSync(path.join(root, MODULES));
    expect(consoleUpToDate(root)).toBe(false);
    write(MODULES, 'not json');
    expect(consoleUpToDate(root)).toBe(false);
  });
});
