import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
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
