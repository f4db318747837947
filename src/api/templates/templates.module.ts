import { Module } from '@nestjs/common';
import type { Config } from '../../config/config';
import { CONFIG } from '../core/tokens';
import { loadTemplateFiles } from './template-files';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';
import { TEMPLATES } from './templates.tokens';

@Module({
  controllers: [TemplatesController],
  providers: [TemplatesService, { provide: TEMPLATES, useFactory: (config: Config) => loadTemplateFiles(config.templatesDir), inject: [CONFIG] }],
})
export class TemplatesModule {}
