import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_KEYS_FILE, devKeysIn } from './dev-keys';

describe('development keys in the data folder', () => {
  it('are generated once, kept owner-only, and the same on the next start', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'kairos-keys-')), 'data');
    const first = devKeysIn(dir);
    expect(first.created).toBe(true);
    expect([...first.keys.values()].sort()).toEqual(['admin', 'ingest', 'operator', 'support']);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const second = devKeysIn(dir);
    expect(second.created).toBe(false);
    expect([...second.keys]).toEqual([...first.keys]);
  });

  it('replaces a file that does not hold keys', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kairos-keys-'));
    writeFileSync(path.join(dir, DEV_KEYS_FILE), '{not json', { mode: 0o644 });
    const keys = devKeysIn(dir);
    expect(keys.created).toBe(true);
    expect(statSync(keys.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keys.file, 'utf8')).keys).toHaveLength(4);
  });
});
