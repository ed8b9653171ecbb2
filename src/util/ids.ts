import { randomBytes } from 'node:crypto';

/** `<type>_<16 lowercase hex>` as contract §2 generates ids. */
export function generateMockId(type: string): string {
  return `${type}_${randomBytes(8).toString('hex')}`;
}

export const MOCK_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
