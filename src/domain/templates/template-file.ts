/**
 * A campaign template as a file under examples/templates declares it: what
 * the gallery shows (title, description), the parameters a form asks for,
 * and the campaign body with `{{name}}` placeholders.
 */
import { z } from 'zod';
import { Key } from '../campaign/schema';
import { ParameterSpec } from './parameter-spec';

export const TemplateFile = z
  .object({
    key: Key.describe('The template key; the file is named after it (<key>.yaml or <key>.json).'),
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(2000),
    parameters: z.array(ParameterSpec).describe('In the order a form asks for them.'),
    campaign: z
      .record(z.string(), z.unknown())
      .describe('A campaign definition (CAMPAIGNS.md) in which strings may hold {{parameter}} placeholders.'),
  })
  .strict();
export type TemplateFile = z.infer<typeof TemplateFile>;
