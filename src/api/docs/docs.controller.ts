import { Controller, Get } from '@nestjs/common';
import { Public } from '../common/roles';
import { buildOpenApiDocument } from './openapi';

@Controller('docs')
export class DocsController {
  private readonly document = buildOpenApiDocument();

  /** The OpenAPI 3.1 document (JSON). */
  @Get()
  @Public()
  openapi() {
    return this.document;
  }
}
