import { ConflictError, InputError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { ActivateBody } from './campaigns.schemas';
import { fakeCampaigns } from './fake-campaigns.test-support';
import { allowedFrom } from './status-changes';

const conflictOf = async (work: Promise<unknown>): Promise<ConflictError> => {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConflictError)) throw new Error(`expected a ConflictError, got ${String(err)}`);
  return err;
};

describe('POST /v1/campaigns/:key/activate: ifStatus (review 46, finding 3)', () => {
  it('the body takes ifStatus: a non-empty list of statuses, each checked at its index', () => {
    expect(parseInput(ActivateBody, { version: 2, ifStatus: ['draft', 'active'] })).toEqual({ version: 2, ifStatus: ['draft', 'active'] });
    expect(parseInput(ActivateBody, {})).toEqual({});
    const issues = (body: unknown) => {
      try {
        parseInput(ActivateBody, body);
      } catch (err) {
        if (err instanceof InputError) return err.details.map((d) => d.path);
        throw err;
      }
      return [];
    };
    expect(issues({ ifStatus: ['draft', 'running'] })).toEqual(['ifStatus[1]']);
    expect(issues({ ifStatus: [] })).toEqual(['ifStatus']);
    expect(new Set(issues({ ifStatus: 'active' }))).toEqual(new Set(['ifStatus']));
    expect(issues({ ifStatus: ['draft', 'active', 'paused', 'archived', 'draft'] })).toEqual(['ifStatus']);
  });

  it('narrows the statuses activate may start from; without it, as before', () => {
    expect(allowedFrom('activate')).toEqual(['draft', 'active', 'paused']);
    expect(allowedFrom('activate', ['draft', 'active'])).toEqual(['draft', 'active']);
    expect(allowedFrom('activate', ['paused', 'archived'])).toEqual(['paused']);
  });

  it('a pause landing between the read and the update is not undone: 409 naming paused, and the campaign stays paused', async () => {
    const { row, asked, service } = fakeCampaigns('active', { beforeChange: (r) => (r.status = 'paused') });
    const err = await conflictOf(service.activate('welcome', 2, ['draft', 'active']));
    expect(err.code).toBe('invalid_status_change');
    expect(err.message).toBe('Campaign welcome changed meanwhile and is now paused, and this request may activate it only from draft or active (ifStatus); nothing changed.');
    expect(err.details).toEqual([{ path: 'ifStatus', message: 'the campaign is paused' }]);
    // The compare-and-set was asked with the narrowed statuses.
    expect(asked).toEqual([['draft', 'active']]);
    expect(row).toMatchObject({ status: 'paused', activeVersion: 1 });
  });

  it('a campaign already paused is refused before anything is changed', async () => {
    const { row, asked, service } = fakeCampaigns('paused');
    const err = await conflictOf(service.activate('welcome', 2, ['draft', 'active']));
    expect(err.message).toBe('Campaign welcome is paused, and this request may activate it only from draft or active (ifStatus); nothing changed.');
    expect(asked).toEqual([]);
    expect(row.status).toBe('paused');
  });

  it('activates when the status is one the request accepts (a draft; a version switch), and resumes without ifStatus', async () => {
    const draft = fakeCampaigns('draft');
    expect(await draft.service.activate('welcome', 2, ['draft', 'active'])).toMatchObject({ status: 'active', activeVersion: 2 });
    const active = fakeCampaigns('active');
    expect(await active.service.activate('welcome', 2, ['draft', 'active'])).toMatchObject({ status: 'active', activeVersion: 2 });
    const paused = fakeCampaigns('paused');
    expect(await paused.service.activate('welcome', 2)).toMatchObject({ status: 'active', activeVersion: 2 });
    expect(paused.asked).toEqual([['draft', 'active', 'paused']]);
  });
});

describe('POST /v1/campaigns/:key/activate: ifActiveVersion (review-47-console, finding 1)', () => {
  it('the body takes ifActiveVersion: a version, or null for none; anything else at its path', () => {
    expect(parseInput(ActivateBody, { version: 2, ifActiveVersion: 1 })).toEqual({ version: 2, ifActiveVersion: 1 });
    expect(parseInput(ActivateBody, { ifActiveVersion: null })).toEqual({ ifActiveVersion: null });
    for (const bad of [0, 1.5, '1', 2 ** 31]) {
      const err: unknown = (() => {
        try {
          return parseInput(ActivateBody, { ifActiveVersion: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details.map((d) => d.path)).toEqual(['ifActiveVersion']);
    }
  });

  it('a version activated after the client read is not switched back over: 409 naming it, before anything changes', async () => {
    const { row, asked, service } = fakeCampaigns('active', { activeVersion: 3 });
    const err = await conflictOf(service.activate('welcome', 2, ['active'], 1));
    expect(err.code).toBe('active_version_changed');
    expect(err.message).toBe('Campaign welcome: version 3 is the active one, and this request may activate version 2 only while version 1 is the active one (ifActiveVersion); nothing changed.');
    expect(err.details).toEqual([{ path: 'ifActiveVersion', message: 'version 3 is active' }]);
    expect(asked).toEqual([]);
    expect(row.activeVersion).toBe(3);
  });

  it('nor one activated between the read and the update (the compare-and-set)', async () => {
    const { row, service } = fakeCampaigns('active', { activeVersion: 1, beforeChange: (r) => void (r.activeVersion = 3) });
    const err = await conflictOf(service.activate('welcome', 2, undefined, 1));
    expect(err.code).toBe('active_version_changed');
    expect(err.message).toBe('Campaign welcome changed meanwhile: version 3 is the active one, and this request may activate version 2 only while version 1 is the active one (ifActiveVersion); nothing changed.');
    expect(row.activeVersion).toBe(3);
  });

  it('activates while the version is the one named, and a draft while none is (null)', async () => {
    const active = fakeCampaigns('active', { activeVersion: 1 });
    expect(await active.service.activate('welcome', 2, ['active'], 1)).toMatchObject({ status: 'active', activeVersion: 2 });
    const draft = fakeCampaigns('draft');
    expect(await draft.service.activate('welcome', 1, ['draft', 'active'], null)).toMatchObject({ status: 'active', activeVersion: 1 });
    const err = await conflictOf(fakeCampaigns('active', { activeVersion: 1 }).service.activate('welcome', 2, undefined, null));
    expect(err.message).toBe('Campaign welcome: version 1 is the active one, and this request may activate version 2 only while no version is active (ifActiveVersion); nothing changed.');
  });
});
