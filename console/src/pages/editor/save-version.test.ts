import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { saveVersion, VersionConflict, type Base } from './save-version';

/**
 * saveVersion against a stand-in for the campaign routes that keeps the
 * API's rules: POST of a key that exists is 409 campaign_exists; a PUT with
 * `baseVersion` other than the latest is refused with 409 version_conflict,
 * and without one it is stored on top of whatever is latest; GET
 * …/versions/latest answers the newest definition as stored. `loseNextAnswer`
 * stores the next save and then drops its answer, as a connection cut after
 * Kairos stored it does.
 */
const KEY = 'welcome';
type Stored = { definition: Record<string, unknown>; layout: unknown };
let versions: Stored[] = [];
let sent: Array<Record<string, unknown>> = [];
let loseNextAnswer = false;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = (code: string, message: string) => json(409, { error: { code, message, details: [] } });

function store(body: Record<string, unknown>): number {
  const { layout, baseVersion: _base, ...definition } = body;
  versions.push({ definition: { ...definition, key: KEY }, layout });
  if (loseNextAnswer) {
    loseNextAnswer = false;
    throw new TypeError('Failed to fetch');
  }
  return versions.length;
}

async function fakeApi(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === 'GET' && path === `/v1/campaigns/${KEY}/versions/latest`) {
    const latest = versions.at(-1);
    if (!latest) return json(404, { error: { code: 'not_found', message: `No campaign ${KEY}.`, details: [] } });
    return json(200, { key: KEY, version: versions.length, ...latest, createdAt: '2026-01-01T00:00:00.000Z', activatedAt: null });
  }
  const body = (await request.json()) as Record<string, unknown>;
  sent.push(body);
  if (request.method === 'POST' && path === '/v1/campaigns') {
    if (versions.length > 0) return refused('campaign_exists', `Campaign ${KEY} already exists; PUT /v1/campaigns/${KEY} adds a version.`);
    return json(201, { key: KEY, version: store(body), status: 'draft' });
  }
  if (body.baseVersion !== undefined && body.baseVersion !== versions.length) {
    return refused('version_conflict', `version ${versions.length} is the latest; this edit started from version ${String(body.baseVersion)}`);
  }
  return json(200, { key: KEY, version: store(body) });
}

const globals = globalThis as unknown as Record<string, unknown>;
const kept = { window: globals.window, sessionStorage: globals.sessionStorage, fetch: globals.fetch };
beforeAll(() => {
  globals.window = { location: { origin: 'http://kairos.test' } };
  globals.sessionStorage = { getItem: () => 'op-key', setItem: () => undefined, removeItem: () => undefined };
  globals.fetch = fakeApi;
});
afterAll(() => Object.assign(globals, kept));
beforeEach(() => {
  sent = [];
  loseNextAnswer = false;
});

const draft = { key: KEY, name: 'Mine', entry: { on: 'order.completed' }, initial: 'a', states: { a: { end: true } } } as unknown as CampaignInput;
const theirs = { ...draft, name: 'Theirs' };
const loadedV1: Base = { key: KEY, version: 1, definition: theirs, layout: null };
const plan = { kind: 'version', baseVersion: 1 } as const;
/** `n` versions saved by others, none of them this draft. */
const savedByOthers = (n: number) => {
  versions = Array.from({ length: n }, (_, i) => ({ definition: { ...theirs, name: `Theirs ${i + 1}` }, layout: null }));
};

describe('saveVersion', () => {
  it('sends the version the edit started from, so a version saved meanwhile is a conflict', async () => {
    savedByOthers(2);
    await expect(saveVersion(plan, loadedV1, draft, {})).rejects.toEqual(expect.objectContaining({ baseVersion: 1 }));
    expect(sent.map((b) => b.baseVersion)).toEqual([1]);
    expect(versions).toHaveLength(2);
  });

  it('saves anyway on top of the version the conflict box named, and no other', async () => {
    // The box named v2; the operator read the diff and chose to save anyway.
    savedByOthers(2);
    const saved = await saveVersion(plan, loadedV1, draft, {}, { forceOnto: 2 });
    expect(sent.map((b) => b.baseVersion)).toEqual([2]);
    expect(saved.message).toBe(`Saved ${KEY} as version 3.`);
  });

  it('refuses to save anyway over a version saved after the box named its own: a new conflict naming the version it was based on', async () => {
    // The box named v2, but someone saved v3 before "Save mine anyway" was clicked.
    savedByOthers(3);
    const refusal = await saveVersion(plan, loadedV1, draft, {}, { forceOnto: 2 }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(VersionConflict);
    expect(refusal).toMatchObject({ key: KEY, baseVersion: 2 });
    // Nothing was stored on top of v3.
    expect(versions).toHaveLength(3);
  });

  describe('pressed again after the answer to a save was lost (Kairos stored it)', () => {
    const layout = { a: { x: 10, y: 20 } };

    it('a new version: the refusal is its own save, so it is saved as that version and nothing is stored twice', async () => {
      savedByOthers(1);
      loseNextAnswer = true;
      await expect(saveVersion(plan, loadedV1, draft, layout)).rejects.toThrow('Failed to fetch');
      // The editor still holds v1 as its base: the same plan is sent again.
      const saved = await saveVersion(plan, loadedV1, draft, layout);
      expect(saved.base).toEqual({ key: KEY, version: 2, definition: draft, layout });
      expect(saved.message).toMatch(/^Saved welcome as version 2: its latest version already holds this draft/);
      expect(versions).toHaveLength(2);
    });

    it('a create: the key it made is this draft, so it is saved as version 1', async () => {
      versions = [];
      loseNextAnswer = true;
      await expect(saveVersion({ kind: 'create' }, null, draft, layout)).rejects.toThrow('Failed to fetch');
      const saved = await saveVersion({ kind: 'create' }, null, draft, layout, { answerLost: true });
      expect(saved.base).toEqual({ key: KEY, version: 1, definition: draft, layout });
      expect(versions).toHaveLength(1);
    });

    it('the same definition with its keys in another order is still this draft', async () => {
      savedByOthers(1);
      loseNextAnswer = true;
      await saveVersion(plan, loadedV1, draft, layout).catch(() => undefined);
      const reordered = Object.fromEntries(Object.entries(draft).reverse()) as unknown as CampaignInput;
      await expect(saveVersion(plan, loadedV1, reordered, layout)).resolves.toMatchObject({ base: { version: 2 } });
    });

    it('a latest version that holds something else stays a conflict, and a key taken by another campaign stays refused', async () => {
      savedByOthers(2);
      await expect(saveVersion(plan, loadedV1, draft, layout)).rejects.toBeInstanceOf(VersionConflict);
      await expect(saveVersion({ kind: 'create' }, null, draft, layout, { answerLost: true })).rejects.toMatchObject({ status: 409, body: { error: { code: 'campaign_exists' } } });
      expect(versions).toHaveLength(2);
    });
  });

  it('a create whose key another campaign holds is refused, even when its latest version holds this very draft (no answer of this editor was lost)', async () => {
    // Someone else created it, e.g. from the same template with its defaults.
    versions = [{ definition: { ...theirs, name: 'Theirs 1' }, layout: null }, { definition: { ...draft }, layout: null }];
    await expect(saveVersion({ kind: 'create' }, null, draft, {})).rejects.toMatchObject({ status: 409, body: { error: { code: 'campaign_exists' } } });
    expect(versions).toHaveLength(2);
  });
});
