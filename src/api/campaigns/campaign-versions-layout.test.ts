import { inputErrorPaths } from '../common/input-error.test-support';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { CampaignVersionsService } from './campaign-versions.service';

// Review 61, finding 6: the version was parsed first and its 400 named nothing of the layout.
describe('PUT /v1/campaigns/:key/versions/:version/layout names every bad part at once', () => {
  const setLayout = jest.fn();
  const definition = jest.fn();
  const service = new CampaignVersionsService({ setLayout, definition } as unknown as CampaignsRepository, {} as JourneyGateway);

  it('a bad version and a bad layout: both in one 400, and nothing read or stored', async () => {
    expect(await inputErrorPaths(() => service.saveLayout('c1', 'x', { layout: { a: { x: 'no', y: 0 } } }))).toEqual(['layout.a.x', 'version']);
    expect(definition).not.toHaveBeenCalled();
    expect(setLayout).not.toHaveBeenCalled();
  });
});
