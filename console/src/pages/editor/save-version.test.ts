import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { saveVersion, VersionConflict, type Base } from './save-version';

/**
 * saveVersion against a stand-in for PUT /v1/campaigns/{key} that keeps the
 * API's rule: a body with `baseVersion` other than the latest is refused with
 * 409 version_conflict; without one it is stored on top of whatever is latest.
 */
const KEY = 'welcome';
let latest = 1;
let sent: Array<Record<string, unknown>> = [];

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function fakeApi(request: Request): Promise<Response> {
  const body = (await request.json()) as Record<string, unknown>;
  sent.push(body);
  if (body.baseVersion !== undefined && body.baseVersion !== latest) {
    return json(409, { error: { code: 'version_conflict', message: `version ${latest} is the latest; this edit started from version ${String(body.baseVersion)}`, details: [] } });
  }
  latest += 1;
  return json(200, { key: KEY, version: latest });
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
});

const draft = { key: KEY, name: 'Mine', entry: { on: 'order.completed' }, initial: 'a', states: { a: { end: true } } } as unknown as CampaignInput;
const loadedV1: Base = { key: KEY, version: 1, definition: { ...draft, name: 'Theirs' }, layout: null };
const plan = { kind: 'version', baseVersion: 1 } as const;

describe('saveVersion', () => {
  it('sends the version the edit started from, so a version saved meanwhile is a conflict', async () => {
    latest = 2;
    await expect(saveVersion(plan, loadedV1, draft, {})).rejects.toEqual(expect.objectContaining({ baseVersion: 1 }));
    expect(sent.map((b) => b.baseVersion)).toEqual([1]);
    expect(latest).toBe(2);
  });

  it('saves anyway on top of the version the conflict box named, and no other', async () => {
    // The box named v2; the operator read the diff and chose to save anyway.
    latest = 2;
    const saved = await saveVersion(plan, loadedV1, draft, {}, 2);
    expect(sent.map((b) => b.baseVersion)).toEqual([2]);
    expect(saved.message).toBe(`Saved ${KEY} as version 3.`);
  });

  it('refuses to save anyway over a version saved after the box named its own: a new conflict naming the version it was based on', async () => {
    // The box named v2, but someone saved v3 before "Save mine anyway" was clicked.
    latest = 3;
    const refused = await saveVersion(plan, loadedV1, draft, {}, 2).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VersionConflict);
    expect(refused).toMatchObject({ key: KEY, baseVersion: 2 });
    // Nothing was stored on top of v3.
    expect(latest).toBe(3);
  });
});
