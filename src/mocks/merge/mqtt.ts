export function mergeMqttMock(): never { throw new Error('x'); }
