import { apiOpenApiDocument } from '../docs/api-document';

describe('the funnel in the OpenAPI document', () => {
  const funnel = apiOpenApiDocument().paths?.['/v1/campaigns/{key}/funnel']?.get;

  it('describes `current` as the response schema does: journeys summed over versions, not distinct users', () => {
    const summary = funnel?.summary ?? '';
    const current = /`current`: ([^;]*)/.exec(summary)?.[1] ?? '';
    expect(current).toMatch(/^journeys with a path in it now/);
    expect(current).toMatch(/summed over versions/);
    expect(current).not.toMatch(/distinct users/);
    expect(JSON.stringify(funnel?.responses)).toMatch(/Journeys with a path in the state now/);
  });
});
