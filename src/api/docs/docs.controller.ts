import { Controller, Get, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Public } from '../common/roles';
import { buildOpenApiDocument } from './openapi';
import { documentedRoutes, registeredRoutes } from './registered-routes';

@Controller('docs')
export class DocsController implements OnModuleInit {
  private document?: ReturnType<typeof buildOpenApiDocument>;

  constructor(private readonly discovery: DiscoveryService) {}

  /** Built once, from the controllers this application registered (not from a list kept beside them). */
  onModuleInit(): void {
    const controllers = this.discovery.getControllers().flatMap((wrapper) => (wrapper.metatype ? [wrapper.metatype as Type] : []));
    this.document = buildOpenApiDocument(documentedRoutes(registeredRoutes(controllers)));
  }

  /** The OpenAPI 3.1 document (JSON). */
  @Get()
  @Public()
  openapi() {
    return this.document;
  }
}
