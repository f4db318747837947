import fc from 'fast-check';
import path from 'node:path';
import { MessageChannel } from '../../domain/campaign/schema';
import { compileCampaign } from '../../domain/compiler';
import { renderTemplate, valueSchema, type ParameterSpec, type ParameterValue } from '../../domain/templates';
import { loadTemplateFiles } from './template-files';

/** Any value a parameter's declaration allows (and some it does not, filtered out by the declaration's own schema). */
function valueOf(spec: ParameterSpec): fc.Arbitrary<ParameterValue> {
  switch (spec.type) {
    case 'integer':
      return fc.integer({ min: spec.min, max: spec.max });
    case 'number':
      return fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return (spec.pattern !== undefined ? fc.stringMatching(new RegExp(`^(?:${spec.pattern})$`)) : fc.string({ maxLength: spec.maxLength })).filter(
        (s) => valueSchema(spec).safeParse(s).success,
      );
    case 'pool':
      return fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,30}$/);
    case 'eventType':
      return fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,30}$/);
    case 'duration':
      return fc
        .oneof(fc.constantFrom(spec.min, spec.max, spec.default), fc.integer({ min: 1, max: 500 }).map((n) => `P${n}D`), fc.integer({ min: 1, max: 2000 }).map((n) => `PT${n}M`))
        .filter((d) => valueSchema(spec).safeParse(d).success);
    case 'choice':
      return fc.constantFrom(...spec.options);
    case 'channel':
      return fc.constantFrom(...MessageChannel.options);
    case 'boolean':
      return fc.boolean();
    case 'timezone':
      return fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Europe/Paris', 'Pacific/Chatham');
  }
}

describe('the example templates, with any values their parameters allow', () => {
  const templates = loadTemplateFiles(path.join(__dirname, '../../../examples/templates'));

  it.each(templates.map((t) => [t.key, t] as const))('%s renders to a campaign that compiles', (_key, template) => {
    const values = fc.record(Object.fromEntries(template.parameters.map((p) => [p.name, valueOf(p)])));
    fc.assert(
      fc.property(values, (parameters) => {
        const rendered = renderTemplate(template, { parameters });
        expect(rendered.ok ? [] : rendered.issues).toEqual([]);
        if (rendered.ok) expect(compileCampaign(rendered.value.campaign, { admitting: true }).ok).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
