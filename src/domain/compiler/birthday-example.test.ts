import birthday from '../../../examples/campaigns/birthday.json';
import { compileCampaign } from '.';

/** The birthday example's audience, judged as a tick at 09:00 in Paris judges it. */
function celebrates(born: string, day: string): boolean {
  const compiled = compileCampaign(birthday);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const { audience, schedule } = compiled.value;
  const now = Date.parse(`${day}T08:00:00Z`);
  return audience?.evaluate({ event: null, user: { birthday: born }, journey: { enteredAt: null, stateEnteredAt: null, entries: 0 }, now, timezone: schedule.timezone, aggregate: () => null }) === true;
}

describe('the birthday example', () => {
  it('celebrates a birthday on its day, and no other', () => {
    expect(celebrates('1990-06-15', '2027-06-15')).toBe(true);
    expect(celebrates('1990-06-15', '2027-06-16')).toBe(false);
  });

  it('celebrates someone born on 29 February on 1 March in other years, and on the day in a leap year', () => {
    expect(['2027-02-28', '2027-03-01', '2027-03-02'].map((d) => celebrates('2000-02-29', d))).toEqual([false, true, false]);
    // In a leap year both days match; the campaign's cooldown of 300 days keeps it to one entry.
    expect(['2028-02-29', '2028-03-01'].map((d) => celebrates('2000-02-29', d))).toEqual([true, true]);
    expect(birthday.participation.cooldown).toBe('P300D');
    // Someone born on 1 March is not celebrated twice.
    expect(['2027-02-28', '2027-03-01'].map((d) => celebrates('1999-03-01', d))).toEqual([false, true]);
  });
});
