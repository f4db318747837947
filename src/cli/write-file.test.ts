import { execFileSync, spawn } from 'node:child_process';
import fs, { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliError } from './exit-codes';
import { writeOutputFile } from './write-file';

/** Each test's own folder, removed after it (with any mock it made). */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-write-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

// Review 57 (others), finding 2: the temp file and rename went over whatever the path named. A device or FIFO was
// replaced by a regular file (as root) or refused (permission denied, exit 2), and a dangling link was replaced by a file.
describe('writeOutputFile: what is not a regular file is written in place', () => {

  it('/dev/null takes the text and stays the character device it was', () => {
    const before = statSync('/dev/null');
    writeOutputFile({ cwd: dir }, '/dev/null', 'key: c\n');
    const after = statSync('/dev/null');
    expect({ device: after.isCharacterDevice(), rdev: after.rdev, ino: after.ino, text: readFileSync('/dev/null', 'utf8') }).toEqual({
      device: true,
      rdev: before.rdev,
      ino: before.ino,
      text: '',
    });
    expect(readdirSync('/dev').filter((name) => name.startsWith('.null.tmp-'))).toEqual([]);
  });

  // A null device of its own, so that code which replaces the device replaces only this test's copy (root alone may make one).
  (process.getuid?.() === 0 ? it : it.skip)('a character device in a folder the caller may write is not replaced by a regular file', () => {
    const device = path.join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    writeOutputFile({ cwd: dir }, 'null', 'key: c\n');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('a FIFO gets the text through it, and is still a FIFO', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    try {
      writeOutputFile({ cwd: dir }, 'fifo', 'key: c\n');
      // A reader left waiting (the text went elsewhere) is ended here, and the assertion below says so.
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    } finally {
      clearTimeout(timer);
      reader.kill();
    }
    expect(Buffer.concat(chunks).toString()).toBe('key: c\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['fifo']);
  });

  it('/dev/fd/N writes through the descriptor: the file it is open on is written, not replaced', () => {
    const file = path.join(dir, 'out.yaml');
    writeFileSync(file, 'old\n');
    const ino = statSync(file).ino;
    const fd = fs.openSync(file, 'r+');
    try {
      writeOutputFile({ cwd: dir }, `/dev/fd/${fd}`, 'key: c\n');
    } finally {
      fs.closeSync(fd);
    }
    expect({ text: readFileSync(file, 'utf8'), ino: statSync(file).ino }).toEqual({ text: 'key: c\n', ino });
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });
});

describe('writeOutputFile: links', () => {
  it('a dangling link is followed: the file it names is created whole, and the link stays', () => {
    symlinkSync('target.yaml', path.join(dir, 'link.yaml'));
    writeOutputFile({ cwd: dir }, 'link.yaml', 'key: c\n');
    expect(lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'target.yaml'), 'utf8')).toBe('key: c\n');
    expect(readdirSync(dir).sort()).toEqual(['link.yaml', 'target.yaml']);
  });

  it('a dangling link is read relative to its own folder, through a chain of links', () => {
    mkdirSync(path.join(dir, 'links'));
    mkdirSync(path.join(dir, 'files'));
    symlinkSync('../files/second.yaml', path.join(dir, 'links', 'first.yaml'));
    symlinkSync('target.yaml', path.join(dir, 'files', 'second.yaml'));
    writeOutputFile({ cwd: dir }, 'links/first.yaml', 'key: c\n');
    expect(readFileSync(path.join(dir, 'files', 'target.yaml'), 'utf8')).toBe('key: c\n');
    expect([lstatSync(path.join(dir, 'links', 'first.yaml')).isSymbolicLink(), lstatSync(path.join(dir, 'files', 'second.yaml')).isSymbolicLink()]).toEqual([true, true]);
  });

  it('a link to a file replaces the file, and the link stays', () => {
    writeFileSync(path.join(dir, 'target.yaml'), 'old\n');
    symlinkSync('target.yaml', path.join(dir, 'link.yaml'));
    writeOutputFile({ cwd: dir }, 'link.yaml', 'key: c\n');
    expect(lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'target.yaml'), 'utf8')).toBe('key: c\n');
  });
});

describe('writeOutputFile: a folder that refuses the temporary file', () => {

  /** The folder refuses new files (as one the caller may not write does: root may write any, so it is simulated). */
  const folderRefuses = (code: string) => {
    const open = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementation((file, ...rest) => {
      if (String(file).includes('.tmp-')) throw Object.assign(new Error(`${code}: refused, open '${String(file)}'`), { code, syscall: 'open' });
      return open(file, ...rest);
    });
  };

  it.each(['EACCES', 'EPERM', 'EROFS'])('writes a file that takes writes in place when the folder refuses with %s', (code) => {
    const file = path.join(dir, 'out.yaml');
    writeFileSync(file, 'old\n', { mode: 0o640 });
    const ino = statSync(file).ino;
    folderRefuses(code);
    writeOutputFile({ cwd: dir }, 'out.yaml', 'key: c\n');
    expect({ text: readFileSync(file, 'utf8'), ino: statSync(file).ino, mode: statSync(file).mode & 0o777 }).toEqual({ text: 'key: c\n', ino, mode: 0o640 });
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('says permission denied (exit 2) and leaves the file as it was when the file itself does not take writes either', () => {
    writeFileSync(path.join(dir, 'out.yaml'), 'old\n');
    folderRefuses('EACCES');
    jest.spyOn(fs, 'accessSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(() => writeOutputFile({ cwd: dir }, 'out.yaml', 'key: c\n')).toThrow(new CliError('cannot write out.yaml: permission denied; out.yaml is as it was', 2));
    expect(readFileSync(path.join(dir, 'out.yaml'), 'utf8')).toBe('old\n');
  });

  it('does not fall back for a new file: nothing there takes writes', () => {
    folderRefuses('EACCES');
    expect(() => writeOutputFile({ cwd: dir }, 'new.yaml', 'key: c\n')).toThrow('cannot write new.yaml: permission denied');
    expect(readdirSync(dir)).toEqual([]);
  });
});

// Review 63 (CLI), finding 4: the rename needs the folder's permission only, so a file made read-only (chmod a-w) was
// replaced, where the docs promise "permission denied", exit 2, as `> file` and editors refuse it.
describe('writeOutputFile: a file the caller may not write', () => {
  const refusal = new CliError('cannot write out.yaml: permission denied; out.yaml is as it was', 2);

  // Root may write any file (so `> file` as root writes it too): there the refusal is simulated below.
  (process.getuid?.() === 0 ? it.skip : it)('a read-only file (0444) is not replaced: permission denied (exit 2)', () => {
    const file = path.join(dir, 'out.yaml');
    writeFileSync(file, 'old\n', { mode: 0o444 });
    expect(() => writeOutputFile({ cwd: dir }, 'out.yaml', 'key: c\n')).toThrow(refusal);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('the file is checked itself, not only its folder (access refused as for a user without write permission)', () => {
    const file = path.join(dir, 'out.yaml');
    writeFileSync(file, 'old\n', { mode: 0o444 });
    const access = fs.accessSync;
    jest.spyOn(fs, 'accessSync').mockImplementation((checked, mode) => {
      if (checked === file && mode === fs.constants.W_OK) throw Object.assign(new Error(`EACCES: permission denied, access '${file}'`), { code: 'EACCES' });
      access(checked, mode);
    });
    const ino = statSync(file).ino;
    expect(() => writeOutputFile({ cwd: dir }, 'out.yaml', 'key: c\n')).toThrow(refusal);
    expect({ text: readFileSync(file, 'utf8'), ino: statSync(file).ino }).toEqual({ text: 'old\n', ino });
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('a new file is not checked (nothing there yet), and a file that takes writes is replaced as before', () => {
    writeOutputFile({ cwd: dir }, 'new.yaml', 'key: c\n');
    writeFileSync(path.join(dir, 'out.yaml'), 'old\n', { mode: 0o644 });
    writeOutputFile({ cwd: dir }, 'out.yaml', 'key: d\n');
    expect([readFileSync(path.join(dir, 'new.yaml'), 'utf8'), readFileSync(path.join(dir, 'out.yaml'), 'utf8')]).toEqual(['key: c\n', 'key: d\n']);
  });
});
