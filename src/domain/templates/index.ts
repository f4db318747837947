/** Campaign templates (examples/templates): declarations, checks and the renderer. Pure. */
export { ParameterSpec, type ParameterValue, valueSchema } from './parameter-spec';
export { TemplateFile } from './template-file';
export { checkTemplate } from './check-template';
export { renderTemplate, resolveParameters, RenderRequest, type RenderedTemplate } from './render';
export { findPlaceholders, substitute } from './placeholders';
