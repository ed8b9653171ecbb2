// Suggestions for the gRPC form: the services and methods an uploaded .proto declares.

/** `pkg.Svc` and `pkg.Svc/Method` names declared in a .proto text (a light scan, for suggestions only). */
export function scanProto(text: string): { services: string[]; methods: Record<string, string[]> } {
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
  const services: string[] = [];
  const methods: Record<string, string[]> = {};
  for (const m of text.matchAll(/service\s+(\w+)\s*\{([\s\S]*?)\n\s*\}/g)) {
    const name = pkg ? `${pkg}.${m[1]}` : m[1]!;
    services.push(name);
    methods[name] = [...m[2]!.matchAll(/rpc\s+(\w+)\s*\(/g)].map((r) => r[1]!);
  }
  return { services, methods };
}
