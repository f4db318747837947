import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { SourcesService } from './sources.service';

@Controller('v1/sources')
@RequireRole('operator')
export class SourcesController {
  constructor(private readonly service: SourcesService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown) {
    return this.service.create(body);
  }

  @Get()
  async list() {
    return { sources: await this.service.list() };
  }

  @Get(':key')
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Put(':key')
  replace(@Param('key') key: string, @Body() body: unknown) {
    return this.service.replace(key, body);
  }
}
