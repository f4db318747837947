import { z } from 'zod';
import { ParameterSpec, RenderRequest } from '../../domain/templates';

export const TemplateSummary = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  parameters: z.array(ParameterSpec).describe('Each with its type, default, bounds and help text, in the order a form asks for them.'),
});

export const TemplateList = z.object({ templates: z.array(TemplateSummary) });

export const TemplateDetail = TemplateSummary.extend({
  campaign: z.record(z.string(), z.unknown()).describe('The campaign body with its {{parameter}} placeholders.'),
});

export const RenderTemplateBody = RenderRequest;

export const RenderedTemplate = z.object({
  template: z.string(),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('The values used, defaults filled in.'),
  campaign: z
    .record(z.string(), z.unknown())
    .describe('A draft campaign definition that compiles; not saved. POST it to /v1/campaigns as it is (pools it names must exist before activation).'),
});
