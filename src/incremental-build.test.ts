import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
