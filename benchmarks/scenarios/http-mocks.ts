// The mocks of the http scenarios. The static and templated mocks answer what baselines/http.ts writes by hand; the
// filler mocks make a mixed set of 1,000 like a real project's: mostly exact paths over four methods, some `{param}`
// paths, a few pathPattern mocks (matched by a scan on every request, contract §3.1) and a few header variants of the
// benchmarked path itself, which the request must be checked against and fail.

export const STATIC_MOCK = {
  id: 'bench-static',
  name: 'bench static',
  http: { matcher: { method: 'GET', path: '/bench/static' }, response: { statusCode: 200, body: { ok: true } } },
};

export const TEMPLATE_MOCK = {
  id: 'bench-template',
  name: 'bench template',
  http: {
    matcher: { method: 'GET', path: '/bench/template' },
    response: {
      statusCode: 200,
      body: { id: '{{uuid}}', path: '{{request.path}}', at: '{{timestamp.iso}}', n: '{{random.int(1,1000)}}' },
    },
  },
};

/** Mocks beside the static one that carry every kind of HTTP fault; the bench never requests them. */
export const FAULTED_MOCKS = [
  { latency: 200 },
  { latency: { type: 'lognormal', median: 100, sigma: 0.5 } },
  { latency: { type: 'uniform', min: 10, max: 50 } },
  { errorRate: 0.5, errorStatus: 503 },
  { bandwidth: 1000 },
  { fault: 'reset' },
  { fault: 'empty' },
  { fault: 'malformed-chunk' },
].map((faults, i) => ({
  id: `bench-faulted-${i}`,
  http: { matcher: { method: 'GET', path: `/bench/faulted/${i}` }, response: { statusCode: 200, body: { ok: true } } },
  faults,
}));

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

function fillerMatcher(i: number): Record<string, unknown> {
  switch (i % 100) {
    case 98:
      return { pathPattern: `^/legacy/${i}/.*$` };
    case 99:
      // Header variants of one route of their own: a hundred variants of the measured route would measure the
      // scoring of one crowded route, not how matching scales with the number of mocks.
      return { method: 'GET', path: '/bench/tenants', headers: { 'X-Tenant': `tenant-${i}` } };
    default:
      if (i % 100 < 80) return { method: METHODS[i % 4], path: `/api/v1/resource-${i}` };
      return { method: 'GET', path: `/api/v1/users/{id}/items-${i}` };
  }
}

export function fillerMocks(count: number, offset = 0): unknown[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    return {
      id: `bench-filler-${i}`,
      name: `filler ${i}`,
      http: { matcher: fillerMatcher(i), response: { statusCode: 200, body: { filler: i } } },
    };
  });
}
