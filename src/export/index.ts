// The export front door (GET /export, `mockd export`): mockd config, OpenAPI 3.1 or AsyncAPI 3.0 of the stored mocks.

export { exportMockd } from './mockd.ts';
export { exportOpenApi } from './openapi.ts';
export { exportAsyncApi } from './asyncapi.ts';

export const EXPORT_FORMATS = ['mockd', 'openapi', 'asyncapi'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
