import { closeAll } from './close-all';

describe('closeAll', () => {
  it('runs every closer newest first, even after one throws, then throws that failure', async () => {
    const ran: string[] = [];
    const failure = new Error('connection already failed');
    const closing = closeAll([
      async () => void ran.push('database'),
      async () => {
        ran.push('temporal');
        throw failure;
      },
      async () => void ran.push('worker connection'),
    ]);
    await expect(closing).rejects.toBe(failure);
    expect(ran).toEqual(['worker connection', 'temporal', 'database']);
  });

  it('names every failure when several closers throw, and resolves when none does', async () => {
    const closing = closeAll([
      () => Promise.reject(new Error('pool: gone')),
      () => Promise.reject(new Error('native: broken pipe')),
    ]);
    await expect(closing).rejects.toThrow('2 parts failed to close: native: broken pipe; pool: gone');
    await expect(closeAll([async () => undefined])).resolves.toBeUndefined();
  });
});
