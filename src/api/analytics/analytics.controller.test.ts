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

describe('the intervals in the OpenAPI document (review 55, finding 3)', () => {
  const intervals = apiOpenApiDocument().paths?.['/v1/campaigns/{key}/intervals']?.get;
  const parameter = (name: string) => (intervals?.parameters ?? []).find((p) => 'name' in p && p.name === name) as { description?: string; schema?: { description?: string } } | undefined;

  it('pairs as the statement does: within a path, across no retention fold, without an upper bound unless `until` is given', () => {
    const summary = intervals?.summary ?? '';
    expect(summary).toMatch(/same path/);
    // "the same journey" only for the rows logged before paths were.
    expect(summary).not.toMatch(/in the same journey\b(?! \(rows)/);
    expect(summary).toMatch(/retention fold/);
    const until = parameter('until');
    expect(until).toBeDefined();
    expect(`${until?.description ?? ''} ${until?.schema?.description ?? ''}`).not.toMatch(/default: now/);
    expect(`${until?.description ?? ''} ${until?.schema?.description ?? ''}`).toMatch(/default: no bound/);
    expect(JSON.stringify(intervals?.responses)).toMatch(/by the same path of the journey/);
  });
});
