import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { TemplatesService } from './templates.service';

/** Reading the gallery is for support and up (it shows what campaigns are possible, nothing about users); rendering a draft is an operator's move. */
@Controller('v1/templates')
@RequireRole('support')
export class TemplatesController {
  constructor(private readonly service: TemplatesService) {}

  @Get()
  list() {
    return { templates: this.service.list() };
  }

  @Get(':key')
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Post(':key/render')
  @HttpCode(200)
  @RequireRole('operator')
  render(@Param('key') key: string, @Body() body: unknown) {
    return this.service.render(key, body);
  }
}
