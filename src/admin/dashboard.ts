// The web dashboard at the admin API's `/` (contract, compatibility notes): index.html at `/` and the bundle under
// `/assets/*`, both from the in-memory asset map, so nothing outside the bundle can ever be served.

import type { H3, H3Event } from 'h3';
import { MockdError } from '../errors.ts';
import { dashboardAssets, type Asset } from './dashboard-assets.ts';

/** The bundle-relative name an `/assets/...` URL asks for, or undefined when it tries to leave the folder. */
export function assetName(pathname: string): string | undefined {
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice('/assets/'.length));
  } catch {
    return undefined;
  }
  const segments = rest.split('/');
  if (rest.includes('\\') || rest.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return `assets/${rest}`;
}

function serve(asset: Asset): Response {
  // Buffers from fs are typed Uint8Array<ArrayBufferLike>, which lib.dom's BodyInit does not name.
  return new Response(asset.body as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': asset.contentType,
      // Asset names carry no hash, so browsers must revalidate to pick up a new build.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}

async function serveAsset(name: string | undefined): Promise<Response> {
  const asset = name === undefined ? undefined : (await dashboardAssets()).get(name);
  if (!asset) throw new MockdError('not_found', 'Not found');
  return serve(asset);
}

export function registerDashboardRoutes(app: H3): void {
  app.get('/', () => serveAsset('index.html'));
  // Browsers ask for /favicon.ico on their own; an SVG answers it (they sniff the image type, not the name).
  app.get('/favicon.ico', () => serveAsset('favicon.svg'));
  app.get('/assets/**', (event: H3Event) => serveAsset(assetName(event.url.pathname)));
}
