import { credentialedHook } from '../../domain/testing/credentialed-hook';
import type { CampaignStatus } from '../../store/repositories/campaigns.repository';
import { ConflictError, InputError } from '../common/errors';
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

describe('a resume that another activation overtook (review-46-campaigns, the resume v1 / activate v2 race)', () => {
  it('is a 409 naming the version now active, not a switch back to a version admitted only as a resume', async () => {
    const { row, service } = fakeCampaigns('paused', {
      definition: stored,
      activeVersion: 1,
      // Version 2 activated between this request's read and its update.
      beforeChange: (r) => {
        r.status = 'active';
        r.activeVersion = 2;
      },
    });
    const err: unknown = await service.activate('welcome', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).message).toBe(
      'Campaign welcome changed meanwhile: version 2 is now the active one, so this resume of version 1 was not made; nothing changed. Activating version 1 now would switch the campaign back over version 2 (checked as a new activation): send it only if that is meant, with ifActiveVersion 2.',
    );
    expect((err as ConflictError).details).toEqual([{ path: 'version', message: 'version 2 is active now' }]);
    expect(row).toMatchObject({ status: 'active', activeVersion: 2 });
  });

  it('still resumes when only the status moved the way the request allows', async () => {
    const { row, service } = fakeCampaigns('paused', { definition: stored, activeVersion: 1, beforeChange: (r) => void (r.status = 'active') });
    await expect(service.activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
    expect(row.activeVersion).toBe(1);
  });
});

/** Saved before webhook URLs with credentials were refused by the schema (review-62, finding 1). */
const credentialed = credentialedHook('welcome');

describe('resuming a version saved before a schema rule refused it (review-62, finding 1)', () => {
  it('resumes: the version compiles as its journeys compile it', async () => {
    await expect(fakeCampaigns('paused', { definition: credentialed }).service.activate('welcome', 1)).resolves.toMatchObject({ status: 'active', activeVersion: 1 });
  });

  it('admits it as a new activation against today\'s schema, at the path', async () => {
    const err: unknown = await fakeCampaigns('paused', { definition: credentialed, activeVersion: 2 }).service.activate('welcome', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details.map((d) => d.path)).toEqual(['states.done.actions.steps[0].url']);
  });
});

