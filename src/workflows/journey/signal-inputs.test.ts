import { toPendingInput, toPendingInputs } from './signal-inputs';

const event = { version: 1, id: 're-2', type: 'visit', userId: 'u1', occurredAt: '2026-12-02T00:00:00Z', properties: {} };

describe('signal inputs: the routed version of a start delivery', () => {
  it('puts the version an entry was routed to on the input, not in the event', () => {
    expect(toPendingInput('event', { ...event, campaignVersion: 2, requestId: 'r-1' })).toEqual({ version: 1, kind: 'event', event, user: {}, campaignVersion: 2 });
    expect(toPendingInputs('events', { version: 1, events: [{ ...event, campaignVersion: 3 }, { ...event, id: 'x' }] }).map((p) => p?.input)).toEqual([
      { version: 1, kind: 'event', event, user: {}, campaignVersion: 3 },
      { version: 1, kind: 'event', event: { ...event, id: 'x' }, user: {} },
    ]);
    expect(toPendingInput('scheduledEntry', { version: 1, tickId: 't-1', campaignVersion: 2 })).toEqual({ version: 1, kind: 'scheduledEntry', tickId: 't-1', user: {}, campaignVersion: 2 });
  });

  it('marks a signal delivery as one on the input, not in the event; anything but "signal" marks nothing', () => {
    expect(toPendingInput('event', { ...event, delivery: 'signal' })).toEqual({ version: 1, kind: 'event', event, user: {}, signalOnly: true });
    expect(toPendingInputs('events', { version: 1, events: [{ ...event, delivery: 'signal' }] }).map((p) => p?.input)).toEqual([{ version: 1, kind: 'event', event, user: {}, signalOnly: true }]);
    for (const other of ['start', true, 1]) expect(toPendingInput('event', { ...event, delivery: other })).toEqual({ version: 1, kind: 'event', event, user: {} });
  });

  it("carries a scheduled entry's tick time when the sender gives one (text only)", () => {
    const tickAt = '2026-05-17T21:00:00.000Z';
    expect(toPendingInput('scheduledEntry', { version: 1, tickId: 't-1', tickAt })).toEqual({ version: 1, kind: 'scheduledEntry', tickId: 't-1', user: {}, tickAt });
    expect(toPendingInput('scheduledEntry', { version: 1, tickId: 't-1', tickAt: 1779051600000 })).toEqual({ version: 1, kind: 'scheduledEntry', tickId: 't-1', user: {} });
    expect(toPendingInput('scheduledEntry', { version: 1, tickId: 't-1', tickKey: '2026-10-25T02:30' })).toEqual({ version: 1, kind: 'scheduledEntry', tickId: 't-1', user: {}, tickKey: '2026-10-25T02:30' });
  });

  it('reads no version from a signal without one, or with one that is not a version', () => {
    expect(toPendingInput('event', event)).toEqual({ version: 1, kind: 'event', event, user: {} });
    for (const bad of [0, 1.5, '2', null]) {
      expect(toPendingInput('event', { ...event, campaignVersion: bad })).toEqual({ version: 1, kind: 'event', event, user: {} });
      expect(toPendingInput('scheduledEntry', { version: 1, tickId: 't', campaignVersion: bad })).toEqual({ version: 1, kind: 'scheduledEntry', tickId: 't', user: {} });
    }
  });
});

describe('signal inputs: the campaign was archived', () => {
  it('reads the campaignArchived signal, and refuses one without its version', () => {
    expect(toPendingInputs('campaignArchived', { version: 1 })).toEqual([{ input: { version: 1, kind: 'campaignArchived' } }]);
    expect(toPendingInputs('campaignArchived', {})).toEqual([null]);
    expect(toPendingInputs('campaignArchived', null)).toEqual([null]);
  });
});

describe('signal inputs: the schedule of a version just activated', () => {
  const notice = { version: 1, campaignVersion: 3, endsAt: '2026-12-31T00:00:00.000Z', activatedAt: '2026-12-07T08:00:00.000Z' };

  it('reads the instants as epoch ms, and an end of null as no end', () => {
    expect(toPendingInput('campaignSchedule', notice)).toEqual({ version: 1, kind: 'scheduleChanged', campaignVersion: 3, endsAt: Date.parse(notice.endsAt), activatedAt: Date.parse(notice.activatedAt) });
    expect(toPendingInput('campaignSchedule', { ...notice, endsAt: null })).toEqual({ version: 1, kind: 'scheduleChanged', campaignVersion: 3, endsAt: null, activatedAt: Date.parse(notice.activatedAt) });
  });

  it('refuses one without a version, an activation instant or a readable end', () => {
    for (const bad of [{ ...notice, campaignVersion: 0 }, { ...notice, campaignVersion: '3' }, { ...notice, activatedAt: undefined }, { ...notice, activatedAt: 'soon' }, { ...notice, endsAt: 'never' }, { ...notice, endsAt: undefined }, { ...notice, version: 2 }]) {
      expect(toPendingInput('campaignSchedule', bad)).toBeNull();
    }
  });
});
