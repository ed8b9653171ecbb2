// Front door of the templating engine (contract §3.3): compile once per mock version, render per request.
export type { TemplateContext, TemplateRequest } from './context.ts';
export { compileTemplate, isTemplated, renderScalar, type Template } from './compile.ts';
export { compileJsonTemplate, type JsonTemplate, type JsonTemplateOptions } from './json.ts';
export { validateTemplate } from './validate.ts';
