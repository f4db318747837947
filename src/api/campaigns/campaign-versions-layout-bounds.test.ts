import { InputError } from '../common/errors';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { LayoutBody } from './campaign-versions.schemas';
import { CampaignVersionsService } from './campaign-versions.service';

/** A version of `states` end states: `s0`, `s1`, … */
const definitionOf = (states: number) => ({
  key: 'c1',
  name: 'C1',
  entry: { on: 'order.completed' },
  initial: 's0',
  states: Object.fromEntries(Array.from({ length: states }, (_, i) => [`s${i}`, { end: true }])),
});

const places = (names: string[]) => Object.fromEntries(names.map((name) => [name, { x: 0, y: 0 }]));

function serviceOver(definition: unknown) {
  const repo = { definition: jest.fn(async () => definition), setLayout: jest.fn(async () => true) };
  return { repo, service: new CampaignVersionsService(repo as unknown as CampaignsRepository, {} as JourneyGateway) };
}

async function issuesOf(f: () => Promise<unknown>) {
  const err: unknown = await f().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).details;
}

// Review 62, finding 3: every name of a body up to 5 MiB went through the schema before the node cap was looked at.
describe('PUT /v1/campaigns/:key/versions/:version/layout refuses a layout larger than its version could have, before parsing its names', () => {
  afterEach(() => jest.restoreAllMocks());

  it('20,000 invalid names: one issue at `layout`, and the schema never sees them', async () => {
    const parse = jest.spyOn(LayoutBody, 'safeParse');
    const { service, repo } = serviceOver(definitionOf(3));
    const layout = places(Array.from({ length: 20_000 }, (_, i) => `-${i}`));
    expect(await issuesOf(() => service.saveLayout('c1', '1', { layout }))).toEqual([{ path: 'layout', message: "at most 1000 nodes (the version's states and the entry)" }]);
    expect(parse).not.toHaveBeenCalled();
    expect(repo.setLayout).not.toHaveBeenCalled();
  });

  it('a few nodes that weigh more than the version\'s states could: one issue at `layout`', async () => {
    const parse = jest.spyOn(LayoutBody, 'safeParse');
    const { service } = serviceOver(definitionOf(3));
    const layout = { s0: { x: 0, y: 0, pad: 'a'.repeat(200_000) } };
    const issues = await issuesOf(() => service.saveLayout('c1', '1', { layout }));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('layout');
    expect(issues[0].message).toMatch(/^is \d+ bytes as JSON; a layout of this version weighs at most \d+$/);
    expect(parse).not.toHaveBeenCalled();
  });

  it('a version of more states than the usual cap takes a place for each, and the entry', async () => {
    const { service, repo } = serviceOver(definitionOf(1500));
    const layout = { ...places(Array.from({ length: 1500 }, (_, i) => `s${i}`)), '(entry)': { x: -999999.9999999999, y: 0.000001234567890123457 } };
    await expect(service.saveLayout('c1', '1', { layout })).resolves.toMatchObject({ key: 'c1', version: 1 });
    // Read once, before the names were parsed, and used for the save.
    expect(repo.definition).toHaveBeenCalledTimes(1);
    expect(repo.setLayout).toHaveBeenCalledTimes(1);
  });

  it('a bad version with a layout too large to judge without it: the version\'s 400, nothing read', async () => {
    const { service, repo } = serviceOver(definitionOf(3));
    const layout = places(Array.from({ length: 20_000 }, (_, i) => `-${i}`));
    expect((await issuesOf(() => service.saveLayout('c1', 'x', { layout }))).map((d) => d.path)).toEqual(['version']);
    expect(repo.definition).not.toHaveBeenCalled();
  });
});
