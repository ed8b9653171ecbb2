// Comlink's Node adapter, imported from its UMD build (the ESM build's path does not resolve under Node's ESM rules).
// Its typings declare an ES default export while Node hands the CommonJS module object over as the default, so the
// function is taken from whichever shape arrives.

import type { Endpoint } from 'comlink';
import * as adapter from 'comlink/dist/umd/node-adapter.js';

interface NodeEndpointLike {
  postMessage(message: any, transfer?: any[]): void;
  on(type: string, listener: (...args: any[]) => void, options?: {}): void;
  off(type: string, listener: (...args: any[]) => void, options?: {}): void;
  start?: () => void;
}

const mod = adapter as unknown as { default?: unknown };
const fn = (typeof mod.default === 'function' ? mod.default : (mod.default as { default: unknown }).default) as (nep: NodeEndpointLike) => Endpoint;

export function nodeEndpoint(nep: NodeEndpointLike): Endpoint {
  return fn(nep);
}
