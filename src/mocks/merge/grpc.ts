export function mergeGrpcMock(): never { throw new Error('x'); }
