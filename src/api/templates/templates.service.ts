import '../../security/linear-regexp-engine';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { renderTemplate, type RenderedTemplate, type TemplateFile } from '../../domain/templates';
import { InputError, NotFoundError } from '../common/errors';
import type { TemplateSummary } from './templates.schemas';
import { TEMPLATES } from './templates.tokens';

/** The templates read at boot (template-files.ts); rendering is pure and saves nothing. */
@Injectable()
export class TemplatesService {
  private readonly byKey: Map<string, TemplateFile>;

  constructor(@Inject(TEMPLATES) private readonly templates: TemplateFile[]) {
    this.byKey = new Map(templates.map((t) => [t.key, t]));
  }

  list(): z.infer<typeof TemplateSummary>[] {
    return this.templates.map(({ key, title, description, parameters }) => ({ key, title, description, parameters }));
  }

  get(key: string): TemplateFile {
    const template = this.byKey.get(key);
    if (!template) throw new NotFoundError(`No template ${key}; GET /v1/templates lists them.`);
    return template;
  }

  render(key: string, body: unknown): RenderedTemplate {
    const result = renderTemplate(this.get(key), body ?? {});
    if (!result.ok) throw new InputError(result.issues, `Template ${key} cannot be rendered with these values.`, 'invalid_parameters');
    return result.value;
  }
}
