import { nominalTickTime, tickKey } from './tick-key';

describe('tick keys: a tick by the local time it stands for', () => {
  it('gives the two runs of 01:30 in the hour Paris repeats one key, and other times their own', () => {
    // 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    const first = Date.parse('2026-10-25T00:30:00Z');
    const second = Date.parse('2026-10-25T01:30:00Z');
    expect(tickKey(first, 'Europe/Paris')).toBe('2026-10-25T02:30');
    expect(tickKey(second, 'Europe/Paris')).toBe('2026-10-25T02:30');
    expect(tickKey(Date.parse('2026-10-26T01:30:00Z'), 'Europe/Paris')).toBe('2026-10-26T02:30');
    // In UTC the same two instants are an hour apart.
    expect(tickKey(first, 'UTC')).not.toBe(tickKey(second, 'UTC'));
  });

  it('reads the nominal time a schedule appends to the workflow id, else takes the fallback', () => {
    expect(nominalTickTime('batch-entry:gold-weekly-2026-10-25T00:30:00Z', 5)).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(nominalTickTime('batch-entry:gold-weekly:test-tick', 5)).toBe(5);
    expect(nominalTickTime('batch-entry:x-2026-13-45T99:00:00Z', 5)).toBe(5);
  });
});
