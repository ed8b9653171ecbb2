// Finding the external load generators and running them. wrk (HTTP/1.1) and h2load (nghttp2-client; HTTP/1.1 and
// h2c, which carries gRPC) are C programs that cost far less CPU per request than any Node client, so when they are
// installed they drive the http and grpc-unary scenarios and the report names them; otherwise the Node worker-thread
// generators run.

import { execFile, spawnSync } from 'node:child_process';

export interface Tool {
  name: 'wrk' | 'h2load';
  version: string;
}

const cache = new Map<string, Tool | undefined>();

/** The tool with its version, or undefined when it is not on the PATH. */
export function findTool(name: Tool['name']): Tool | undefined {
  if (!cache.has(name)) {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8', timeout: 5000 });
    const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const version = name === 'wrk' ? /wrk (?:[^\s/]*\/)?(\d[\d.]*)/.exec(text)?.[1] : /nghttp2\/([\d.]+)/.exec(text)?.[1];
    cache.set(name, r.error || !version ? undefined : { name, version });
  }
  return cache.get(name);
}

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a tool to completion, killed after `timeoutMs`; stdout/stderr are returned whatever the exit code. */
export function runTool(command: string, args: string[], timeoutMs: number, onSpawn?: () => void): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (child.pid !== undefined) onSpawn?.();
  });
}
