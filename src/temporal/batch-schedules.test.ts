import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions, type ScheduleSpec, type ScheduleUpdateOptions } from '@temporalio/client';
import { syncBatchSchedule, type BatchCampaign } from './batch-schedules';

/** A Schedule client whose Schedule another sync creates or deletes between this one's look and its change. */
function racingClient(start: 'absent' | 'present', race: 'created' | 'deleted') {
  let exists = start === 'present';
  let raced = false;
  const calls: string[] = [];
  const raceOnce = () => {
    if (raced) return false;
    raced = true;
    exists = race === 'created';
    return true;
  };
  const notFound = () => new ScheduleNotFoundError('not found', 'batch-entry:weekly');
  const client = {
    schedule: {
      getHandle: () => ({
        describe: async () => {
          calls.push('describe');
          if (!exists) throw notFound();
          return {};
        },
        delete: async () => {
          calls.push('delete');
          if (raceOnce() || !exists) throw notFound();
          exists = false;
        },
        update: async () => {
          calls.push('update');
          if (raceOnce() || !exists) throw notFound();
        },
      }),
      create: async () => {
        calls.push('create');
        if (raceOnce() || exists) throw new ScheduleAlreadyRunning('already running', 'batch-entry:weekly');
        exists = true;
      },
    },
  } as unknown as Client;
  return { client, calls };
}

const campaign = (status: BatchCampaign['status']): BatchCampaign => ({ key: 'weekly', version: 2, status, cron: '0 9 * * 1', timezone: 'UTC' });

describe('syncBatchSchedule against another sync', () => {
  it('updates the Schedule another sync created after this one found none', async () => {
    const { client, calls } = racingClient('absent', 'created');
    expect(await syncBatchSchedule(client, 'q', campaign('active'))).toBe('updated');
    expect(calls).toEqual(['describe', 'create', 'describe', 'update']);
  });

  it('answers none when another sync deleted the Schedule this one was deleting', async () => {
    const { client, calls } = racingClient('present', 'deleted');
    expect(await syncBatchSchedule(client, 'q', campaign('archived'))).toBe('none');
    expect(calls).toEqual(['describe', 'delete', 'describe']);
  });

  it('creates the Schedule again when another sync deleted it before this one updated it', async () => {
    const { client, calls } = racingClient('present', 'deleted');
    expect(await syncBatchSchedule(client, 'q', campaign('paused'))).toBe('paused');
    expect(calls).toEqual(['describe', 'update', 'describe', 'create']);
  });
});

/** A Schedule client that records the spec each create and update sends; `exists`: whether the Schedule is there already. */
function recordingClient(exists: boolean, prev: { spec: ScheduleSpec } = { spec: { cronExpressions: ['0 9 * * 1'] } }) {
  const sent: { via: 'create' | 'update'; spec: ScheduleSpec }[] = [];
  const client = {
    schedule: {
      getHandle: () => ({
        describe: async () => {
          if (!exists) throw new ScheduleNotFoundError('not found', 'batch-entry:weekly');
          return {};
        },
        update: async (fn: (p: ScheduleUpdateOptions) => ScheduleUpdateOptions) => {
          sent.push({ via: 'update', spec: fn({ policies: {}, state: {}, ...prev } as unknown as ScheduleUpdateOptions).spec });
        },
      }),
      create: async (options: ScheduleOptions) => {
        sent.push({ via: 'create', spec: options.spec });
      },
    },
  } as unknown as Client;
  return { client, sent };
}

describe("syncBatchSchedule and the campaign's schedule window (review 57, finding 1)", () => {
  const startsAt = Date.parse('2026-12-10T00:00:00Z');
  const endsAt = Date.parse('2026-12-20T00:00:00Z');
  const windowed = { ...campaign('active'), startsAt, endsAt };

  it('creates the Schedule with startAt and endAt from schedule.startsAt and endsAt, so it stops ticking once the campaign ended', async () => {
    const { client, sent } = recordingClient(false);
    expect(await syncBatchSchedule(client, 'q', windowed)).toBe('created');
    expect(sent).toEqual([{ via: 'create', spec: { cronExpressions: ['0 9 * * 1'], timezone: 'UTC', startAt: new Date(startsAt), endAt: new Date(endsAt) } }]);
  });

  it('sets the window on a Schedule made without one (by an older Kairos)', async () => {
    const { client, sent } = recordingClient(true);
    expect(await syncBatchSchedule(client, 'q', windowed)).toBe('updated');
    expect(sent.map((s) => [s.via, s.spec.startAt, s.spec.endAt])).toEqual([['update', new Date(startsAt), new Date(endsAt)]]);
  });

  it('leaves a side open when the schedule does not set it, and clears a window the new version no longer has', async () => {
    const onlyEnd = recordingClient(false);
    await syncBatchSchedule(onlyEnd.client, 'q', { ...campaign('active'), startsAt: null, endsAt });
    expect(onlyEnd.sent[0].spec).toEqual({ cronExpressions: ['0 9 * * 1'], timezone: 'UTC', endAt: new Date(endsAt) });

    const cleared = recordingClient(true, { spec: { cronExpressions: ['0 9 * * 1'], startAt: new Date(startsAt), endAt: new Date(endsAt) } });
    await syncBatchSchedule(cleared.client, 'q', campaign('active'));
    expect(cleared.sent[0].spec).toEqual({ cronExpressions: ['0 9 * * 1'], timezone: 'UTC' });
  });
});

describe('syncBatchSchedule after schedule.endsAt (review 58, finding 1)', () => {
  const endsAt = Date.parse('2026-01-01T00:00:00Z');
  const now = new Date('2026-01-09T00:00:00Z');
  const ended = { ...campaign('active'), startsAt: null, endsAt };

  it('creates no Schedule for a campaign whose window has closed: Temporal deleted the last one a week after its end, and a new one would never tick', async () => {
    const { client, sent } = recordingClient(false);
    expect(await syncBatchSchedule(client, 'q', ended, now)).toBe('none');
    expect(await syncBatchSchedule(client, 'q', { ...ended, status: 'paused' }, now)).toBe('none');
    expect(sent).toEqual([]);
  });

  it('still updates a Schedule that exists, and creates one while the window is open (endsAt inclusive)', async () => {
    const there = recordingClient(true);
    expect(await syncBatchSchedule(there.client, 'q', ended, now)).toBe('updated');
    const open = recordingClient(false);
    expect(await syncBatchSchedule(open.client, 'q', ended, new Date(endsAt))).toBe('created');
    expect(open.sent.map((s) => s.via)).toEqual(['create']);
  });
});
