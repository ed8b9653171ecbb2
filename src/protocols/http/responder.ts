// Producing a matched HTTP mock's response (contract §3.2). Per-mock work (templates, scripts) is prepared once per
// mock version and cached here; `forget` drops a mock's cache when it changes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostOptions } from '../host.ts';
import type { HttpMatch } from './matching/index.ts';
import { bodyText, detectContentType, hasHeader, writeResponse } from './respond.ts';

export interface RequestInfo {
  method: string;
  path: string;
  url: string;
  query: URLSearchParams;
  rawBody: string;
}

export interface HttpResponder {
  respond(req: IncomingMessage, res: ServerResponse, match: HttpMatch, info: RequestInfo): Promise<void>;
  forget(mockId: string): void;
}

export function createHttpResponder(_options: HostOptions): HttpResponder {
  return {
    async respond(_req, res, match) {
      const response = match.mock.http!.response!;
      const text = bodyText(response.body);
      const headers = { ...response.headers };
      const type = hasHeader(headers, 'content-type') ? undefined : detectContentType(response.body, text);
      if (type) headers['Content-Type'] = type;
      writeResponse(res, { statusCode: response.statusCode, headers, body: text }, !match.headFallback);
    },
    forget() {},
  };
}
