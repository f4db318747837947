import type { DataSource } from 'typeorm';
import type { RewardCommand } from '../../domain/rewards/contract';
import { RewardsRepository } from './rewards.repository';

const failing = (code: string) => Object.assign(new Error(`raised ${code}`), { code });

const command = {
  idempotencyKey: 'k-1',
  campaignKey: 'c',
  campaignVersion: 1,
  userId: 'u-1',
  stepId: 's',
  causedBy: [],
  action: { type: 'points', amount: 5, pool: 'pts' },
} as unknown as RewardCommand;

/** A DataSource whose every query is answered by `answer`; the calls made are in `calls`. */
function fakeDataSource(answer: (sql: string, params: unknown[]) => Promise<unknown>) {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  const ds = {
    query: (sql: string, params: unknown[]) => {
      calls.push({ sql, params });
      return answer(sql, params);
    },
  } as unknown as DataSource;
  return { ds, calls };
}

describe('RewardsRepository.issueAlone (review 58, finding 2)', () => {
  it('fails on a SQLSTATE the ledger does not raise (KR001) instead of answering an exhausted the ledger never kept', async () => {
    const { ds, calls } = fakeDataSource(() => Promise.reject(failing('KR001')));
    await expect(new RewardsRepository(ds).issueAlone(command)).rejects.toMatchObject({ code: 'KR001' });
    expect(calls).toHaveLength(1);
  });

  it('sweeps in a second call when the probe found no free shard with room (KR003)', async () => {
    const { ds, calls } = fakeDataSource((_sql, params) =>
      params[1] ? Promise.resolve([{ o_outcome: 'exhausted', o_detail: 'budget', o_reward: null }]) : Promise.reject(failing('KR003')),
    );
    await expect(new RewardsRepository(ds).issueAlone(command)).resolves.toEqual({ outcome: 'exhausted', detail: 'budget', reward: null });
    expect(calls.map((c) => c.params[1])).toEqual([false, true]);
  });
});
