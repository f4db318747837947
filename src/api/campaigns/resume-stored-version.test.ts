import type { CampaignStatus } from '../../store/repositories/campaigns.repository';
import { InputError } from '../common/errors';
import { fakeCampaigns } from './fake-campaigns.test-support';

/** Saved before the compiler refused an aggregate in exitOn.if: it compiles as stored, and its journeys run it. */
const stored = {
  key: 'welcome',
  name: 'Welcome',
  entry: { on: 'order.completed' },
  exitOn: [{ on: 'complaint', if: "event.severity == 'high' or count('complaint') >= 3" }],
  initial: 'wait',
  states: { wait: { transitions: [{ to: 'done', on: 'order.shipped' }] }, done: { end: true } },
};

const serviceOver = (status: CampaignStatus, activeVersion: number | null) => fakeCampaigns(status, { definition: stored, activeVersion }).service;

describe('activating a stored version against rules added since it was saved (review-46-diff, finding 2)', () => {
  it('resumes the paused campaign on the version its journeys run, and answers the same request sent again', async () => {
    await expect(serviceOver('paused', 1).activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
    await expect(serviceOver('active', 1).activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
  });

  it('admits another version, or a first activation, as a new one: refused at the path, saying why', async () => {
    for (const [status, active] of [['paused', 2], ['active', 2], ['draft', null]] as const) {
      const err: unknown = await serviceOver(status, active).activate('welcome', 1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details.map((d) => d.path)).toEqual(['exitOn[0].if']);
      expect((err as InputError).message).toBe('Version 1 of welcome cannot be activated: it does not compile, as it stands, against the current reward pools and rules.');
    }
  });
});
