import { entryKindOf, switchEntry } from './entry-kind';

describe('switchEntry: the Entry panel\'s "Starts on"', () => {
  it('asks before a schedule drops the entry events and the entry condition, naming them', () => {
    const switched = switchEntry({ on: ['order.completed', 'cart.checkout'], if: 'event.amount > 0' }, 'cron');
    expect(switched.entry).toEqual({ cron: '0 9 * * *' });
    expect(switched.confirm).toBe(
      'An entry on a schedule has no events or entry condition: switching drops the entry events "order.completed, cart.checkout" and the entry condition "event.amount > 0" (Undo brings them back). Switch?',
    );
  });

  it('names a condition built in rows (not text) as the JSON it is', () => {
    const condition = { all: ['event.amount > 0', 'user.level >= 1'] };
    expect(switchEntry({ on: 'order.completed', if: condition }, 'cron').confirm).toBe(
      `An entry on a schedule has no events or entry condition: switching drops the entry condition "${JSON.stringify(condition)}" (Undo brings it back). Switch?`,
    );
  });

  it('asks before an event drops the cron and its time zone', () => {
    const switched = switchEntry({ cron: '0 8 * * 1', timezone: 'Europe/Berlin' }, 'event');
    expect(switched.entry).toEqual({ on: 'order.completed' });
    expect(switched.confirm).toBe(
      'An entry on an event has no cron: switching drops the cron "0 8 * * 1" and the cron\'s time zone "Europe/Berlin" (Undo brings them back). Switch?',
    );
  });

  it('does not ask when only the seed the entry started from would go: switching back brings it', () => {
    expect(switchEntry({ on: 'order.completed' }, 'cron')).toEqual({ entry: { cron: '0 9 * * *' }, confirm: null });
    expect(switchEntry({ on: ['order.completed'] }, 'cron').confirm).toBeNull();
    expect(switchEntry({ cron: '0 9 * * *' }, 'event')).toEqual({ entry: { on: 'order.completed' }, confirm: null });
    expect(switchEntry({}, 'cron').confirm).toBeNull();
  });

  it('names fields of the other kind typed in the JSON tab too, as the switch drops them', () => {
    expect(switchEntry({ cron: '0 9 * * *', on: 'cart.checkout', if: 'true', timezone: 'UTC' }, 'event').confirm).toBe(
      'An entry on an event has no cron: switching drops the entry events "cart.checkout", the entry condition "true" and the cron\'s time zone "UTC" (Undo brings them back). Switch?',
    );
  });

  it('changes nothing when the kind stays', () => {
    const entry = { on: 'cart.checkout', if: 'true' };
    expect(switchEntry(entry, 'event')).toEqual({ entry, confirm: null });
    expect(entryKindOf(entry)).toBe('event');
    expect(entryKindOf({ cron: '* * * * *' })).toBe('cron');
  });
});
