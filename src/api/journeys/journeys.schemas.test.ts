import { InputError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { CampaignKeyParam } from './journeys.schemas';

describe('the campaign path parameter of /v1/journeys/:campaign/:user', () => {
  const problems = (campaign: string) => {
    try {
      parseInput(CampaignKeyParam, campaign, 'campaign');
      return [];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return err.details.map((d) => d.path);
    }
  };

  it("is a campaign key: 'a:b' would name user b:c of campaign a in the workflow id journey:a:b:c", () => {
    expect(problems('spring-sale.v2')).toEqual([]);
    expect(problems('spring:vip')).toEqual(['campaign']);
    expect(problems('Spring')).toEqual(['campaign']);
    expect(problems('x'.repeat(101))).toEqual(['campaign']);
  });
});
