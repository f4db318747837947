import { RenderedTemplate, RenderTemplateBody, TemplateDetail, TemplateList } from '../templates/templates.schemas';
import type { ApiRoute } from './api-routes';

/** The template gallery (examples/templates), spread into apiRoutes. */
export const templateRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/templates',
    operationId: 'listTemplates',
    role: 'support',
    summary: 'The campaign templates (plays from the seeds), each with its parameters: type, default, bounds and help text.',
    success: { status: 200, schema: TemplateList, description: 'The templates, by key.' },
  },
  {
    method: 'get',
    path: '/v1/templates/{key}',
    operationId: 'getTemplate',
    role: 'support',
    summary: 'One template with its parameters and its campaign body with {{parameter}} placeholders.',
    success: { status: 200, schema: TemplateDetail, description: 'The template.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/templates/{key}/render',
    operationId: 'renderTemplate',
    role: 'operator',
    summary:
      'Parameter values (defaults for those left out) → a draft campaign definition that compiles, not saved. ' +
      'A value out of bounds answers 400 at `parameters.<name>`; so does a value with which the campaign would not compile.',
    body: RenderTemplateBody,
    example: { key: 'spring-spend-and-post', parameters: { minSpend: 30, minPosts: 5, points: 80 } },
    success: { status: 200, schema: RenderedTemplate, description: 'The draft campaign and the values used.' },
    errors: [404],
  },
];
