// Syntax checking for mock validation. Rendering never fails (§3.3), so this is the only place a broken template can
// be reported: a validator may turn the message into `400 validation error on <field>: <message>`.
import { parseExpression } from './parse.ts';
import { scanTemplate } from './scan.ts';

/**
 * Returns a description of the first clearly broken piece of syntax (an unclosed `{{`, an empty expression, an
 * unterminated string, unbalanced parentheses, a stray token), or `undefined` when the template is well formed.
 * Unknown names are not errors: they render "" by contract.
 */
export function validateTemplate(source: string): string | undefined {
  if (!source.includes('{{')) return undefined;
  const { expressions, error } = scanTemplate(source);
  for (const expression of expressions) {
    try {
      parseExpression(expression.source);
    } catch (e) {
      return `${(e as Error).message} in "{{${expression.source}}}" at offset ${expression.offset}`;
    }
  }
  return error;
}
