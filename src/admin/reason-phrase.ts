// h3's node adapter (srvx) passes the web Response's statusText to `writeHead`, and a Response built without one has
// `statusText: ''`, which Node writes as is: `HTTP/1.1 200 ` with no reason phrase. RFC 9112 §4 allows an empty
// reason, but clients and people reading a trace expect the standard one, so an empty reason gets Node's phrase.

import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export function withReasonPhrases(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      if (rest[0] === '' || rest[0] === undefined) rest[0] = STATUS_CODES[status] ?? '';
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
    } as ServerResponse['writeHead'];
    return handler(req, res);
  };
}
