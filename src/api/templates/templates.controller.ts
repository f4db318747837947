import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { RenderedTemplate, RenderTemplateBody, TemplateDetail, TemplateList } from './templates.schemas';
import { TemplatesService } from './templates.service';

/** Reading the gallery is for support and up (it shows what campaigns are possible, nothing about users); rendering a draft is an operator's move. */
@Controller('v1/templates')
export class TemplatesController {
  constructor(private readonly service: TemplatesService) {}

  @Get()
  @ApiRoute({
    operationId: 'listTemplates',
    role: 'support',
    summary: 'The campaign templates (plays from the seeds), each with its parameters: type, default, bounds and help text.',
    success: { status: 200, schema: TemplateList, description: 'The templates, by key.' },
  })
  list() {
    return { templates: this.service.list() };
  }

  @Get(':key')
  @ApiRoute({
    operationId: 'getTemplate',
    role: 'support',
    summary: 'One template with its parameters and its campaign body with {{parameter}} placeholders.',
    success: { status: 200, schema: TemplateDetail, description: 'The template.' },
    errors: [404],
  })
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Post(':key/render')
  @ApiRoute({
    operationId: 'renderTemplate',
    role: 'operator',
    summary:
      'Parameter values (defaults for those left out) → a draft campaign definition that compiles, not saved. ' +
      'A value out of bounds answers 400 at `parameters.<name>`; so does a value with which the campaign would not compile.',
    body: RenderTemplateBody,
    example: { key: 'spring-spend-and-post', parameters: { minSpend: 30, minPosts: 5, points: 80 } },
    success: { status: 200, schema: RenderedTemplate, description: 'The draft campaign and the values used.' },
    errors: [404],
  })
  render(@Param('key') key: string, @Body() body: unknown) {
    return this.service.render(key, body);
  }
}
