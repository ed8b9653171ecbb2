// The admin port's 413 body_too_large with a lingering close (src/util/lingering-close.ts): h3's node adapter writes
// the answer and ends the response at once, so for a 413 the end waits until the rest of the body has been read and
// discarded, and the connection closes after it (`Connection: close`).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { endAfterDiscardingBody } from '../util/lingering-close.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

const PAYLOAD_TOO_LARGE = 413;

export function withLingeringClose(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      if (status === PAYLOAD_TOO_LARGE && !req.complete) lingerOnEnd(req, res);
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
    } as ServerResponse['writeHead'];
    return handler(req, res);
  };
}

function lingerOnEnd(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as () => void) : undefined;
    if (args[0] !== undefined && args[0] !== null) res.write(args[0] as string, args[1] as BufferEncoding);
    endAfterDiscardingBody(req, () => (end as (cb?: () => void) => ServerResponse).call(res, callback));
    return res;
  } as ServerResponse['end'];
}
