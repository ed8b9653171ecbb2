// Shared by the templating tests: a request context shaped like the HTTP host's, and a one-line render helper.
import { compileTemplate, type TemplateContext } from '../../src/templating/index.ts';

export const httpContext: TemplateContext = {
  request: {
    method: 'POST',
    path: '/users/42',
    url: '/users/42?page=2&tag=a&tag=b',
    rawBody: '{"user":{"name":"Ada","tags":["x","y"]},"items":[{"sku":"A1"},{"sku":"B2"}],"count":3}',
    body: {
      user: { name: 'Ada', tags: ['x', 'y'], userId: 'u-7' },
      items: [{ sku: 'A1' }, { sku: 'B2' }],
      count: 3,
      active: true,
      nothing: null,
      empty: '',
      'dotted.key': 'dot',
    },
    query: { page: '2', tag: ['a', 'b'], limit: '10' },
    headers: { 'content-type': 'application/json', 'x-trace-id': 'trace-1', accept: ['text/plain', 'application/json'] },
    pathParams: { id: '42' },
  },
};

export function render(source: string, ctx: TemplateContext = httpContext): string {
  return compileTemplate(source).render(ctx);
}
