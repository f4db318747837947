import { cronInWords, instantInWords, shareInWords } from './words';

describe('shareInWords', () => {
  it.each([
    [30, 100, '30% of users'],
    [3, 4, '75% of users'],
    [1, 3, '33.3% of users'],
    [1, 8, '12.5% of users'],
    [1, 10_000, 'under 0.1% of users'],
    [9_999, 10_000, 'over 99.9% of users'],
    [0, 5, '0% of users'],
    [5, 5, '100% of users'],
  ])('%d of %d is %s', (weight, total, said) => expect(shareInWords(weight, total)).toBe(said));
});

describe('instantInWords', () => {
  const at = Date.parse('2026-12-01T09:00:00+08:00');
  it('says the time in the campaign zone and names the zone', () => {
    expect(instantInWords(at, 'Asia/Shanghai')).toBe('1 Dec 2026, 09:00 (Asia/Shanghai)');
    expect(instantInWords(at, 'UTC')).toBe('1 Dec 2026, 01:00 (UTC)');
    expect(instantInWords(at, 'America/New_York')).toBe('30 Nov 2026, 20:00 (America/New_York)');
  });
  it('shows seconds only when there are some, and falls back to UTC for a zone it does not know', () => {
    expect(instantInWords(Date.parse('2026-06-15T10:20:30Z'), 'Europe/Paris')).toBe('15 Jun 2026, 12:20:30 (Europe/Paris)');
    expect(instantInWords(at, 'Mars/Olympus')).toBe('1 Dec 2026, 01:00 (UTC)');
  });
  it('says a number no date has (past ±8.64e15 ms) as the number, in any zone, instead of throwing', () => {
    expect(() => instantInWords(9e15, 'UTC')).not.toThrow();
    expect(instantInWords(9e15, 'UTC')).toBe('9000000000000000');
    expect(instantInWords(-8_640_000_000_000_001, 'Asia/Shanghai')).toBe('-8640000000000001');
    expect(instantInWords(Number.NaN, 'Mars/Olympus')).toBe('NaN');
    // The last instant a date has is still said as one.
    expect(instantInWords(8.64e15, 'UTC')).toBe('13 Sep 275760, 00:00 (UTC)');
  });
});

describe('cronInWords', () => {
  it.each([
    ['0 9 * * 1', 'every Monday at 09:00'],
    ['30 8 * * *', 'every day at 08:30'],
    ['0 9 * * 1-5', 'every Monday to Friday at 09:00'],
    ['0 18 * * 0,6', 'every Sunday and Saturday at 18:00'],
    ['0 9 * * 7', 'every Sunday at 09:00'],
    ['0 9 * * 1,3,5', 'every Monday, Wednesday and Friday at 09:00'],
    ['0 9,18 * * *', 'every day at 09:00 and 18:00'],
    ['0 10 1 * *', 'on the 1st of every month at 10:00'],
    ['0 10 1,15 * *', 'on the 1st and 15th of every month at 10:00'],
    ['0 10 22 * *', 'on the 22nd of every month at 10:00'],
    ['0 0 25 12 *', 'every year on 25 December at 00:00'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['* * * * *', 'every minute'],
    ['0 * * * *', 'every hour, on the hour'],
    ['15 * * * *', 'every hour at 15 minutes past'],
    ['0 */6 * * *', 'every 6 hours'],
    ['*/20 * * * *', 'every 20 minutes'],
    ['0 */12 * * *', 'every 12 hours'],
    ['30 */2 * * *', 'every 2 hours at 30 minutes past'],
    ['  0   9 * * 1 ', 'every Monday at 09:00'],
  ])('%s is %s', (cron, said) => expect(cronInWords(cron)).toBe(said));

  it.each([['0 9 1-7 * 1'], ['0 9 * * MON'], ['0 9 L * *'], ['0 9 * * 1#2'], ['5-10 9 * * *'], ['0 9-17 * * *'], ['0 9 * 1-3 *'], ['0 9 1 1,7 *'], ['0 25 * * *'], ['0 9 * *'], ['*/45 * * * *'], ['*/7 * * * *'], ['0 */5 * * *'], ['30 */7 * * *']])(
    'leaves %s to the cron text',
    (cron) => expect(cronInWords(cron)).toBeNull(),
  );
});
