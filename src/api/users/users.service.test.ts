import { loadConfig } from '../../config/config';
import { PROFILE_CAP_CEILING_BYTES } from './users.service';

describe('the profile size check before any query', () => {
  it('refuses only past the largest MAX_PROFILE_ATTRIBUTES_BYTES the configuration takes: no stored profile weighs more', () => {
    // With the smallest MAX_CAMPAIGN_BYTES, so that only the profile cap's own bound is tried.
    const capOf = (bytes: number) => loadConfig({ MAX_CAMPAIGN_BYTES: '1024', MAX_PROFILE_ATTRIBUTES_BYTES: String(bytes) }).sizeCaps.profileAttributesBytes;
    expect(capOf(PROFILE_CAP_CEILING_BYTES)).toBe(PROFILE_CAP_CEILING_BYTES);
    expect(() => capOf(PROFILE_CAP_CEILING_BYTES + 1)).toThrow(/MAX_PROFILE_ATTRIBUTES_BYTES/);
  });
});
