import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../config/config';
import { CONFIG } from '../core/tokens';
import { TemplateFilesError } from './template-files';
import { TemplatesModule } from './templates.module';
import { TemplatesService } from './templates.service';

/** The module as the app wires it, with only the config it needs: the folder is read when Nest builds it, i.e. at boot. */
function bootWith(env: Record<string, string>): Promise<{ close(): Promise<void>; get: (t: typeof TemplatesService) => TemplatesService }> {
  @Global()
  @Module({})
  class ConfigOnly {
    static forRoot(): DynamicModule {
      return { module: ConfigOnly, providers: [{ provide: CONFIG, useValue: loadConfig(env) }], exports: [CONFIG] };
    }
  }
  @Module({ imports: [ConfigOnly.forRoot(), TemplatesModule] })
  class Root {}
  return NestFactory.createApplicationContext(Root, { logger: false, abortOnError: false });
}

describe('TemplatesModule at boot', () => {
  it('serves the example templates by default', async () => {
    const app = await bootWith({});
    try {
      expect(app.get(TemplatesService).list().map((t) => t.key)).toContain('spend-or-orders-and-posts');
    } finally {
      await app.close();
    }
  });

  it('refuses to boot with a bad template file, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-templates-boot-'));
    try {
      writeFileSync(path.join(dir, 'half.yaml'), 'key: half\ntitle: Half\n');
      const boot = bootWith({ KAIROS_TEMPLATES_DIR: dir });
      await expect(boot).rejects.toBeInstanceOf(TemplateFilesError);
      await expect(boot).rejects.toThrow(/half\.yaml: description/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
