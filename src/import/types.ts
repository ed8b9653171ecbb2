// The shared result of every importer: the mocks a contract describes, as raw mock objects (validated later by
// the ordinary mock schema, like a bulk write), and what could not be carried over.

export const IMPORT_FORMATS = ['openapi', 'asyncapi', 'proto', 'wiremock', 'postman', 'har', 'mockoon', 'mockd'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One raw mock as an importer builds it; `slug` names it for ids made from a prefix. */
export interface ImportedMock {
  slug: string;
  mock: Record<string, unknown>;
}

export interface ImportResult {
  format: ImportFormat;
  mocks: ImportedMock[];
  /** Everything the file says that mockd cannot carry over, named; nothing is dropped silently. */
  warnings: string[];
}

/** What an importer reads: the file's text, and where it came from when it came from disk. */
export interface ImportSource {
  text: string;
  /** The file name (used to detect YAML and the format); absent for a POST /import body. */
  fileName?: string;
  /** The file's folder, for `$ref`s to sibling files, proto imports and WireMock `__files`; absent for a POST body. */
  baseDir?: string;
}

export interface ImportOptions {
  /** Seed for generated examples: the same seed gives the same bodies. */
  seed?: number;
  /** OpenAPI: carry each operation's request schema as `http.validation`. */
  validate?: boolean;
  /** protobuf: messages in each generated stream (default 100). */
  streamCount?: number;
  /** Port of the imported gRPC server (default 0: a free port, shown in GET /ports). */
  grpcPort?: number;
  /** Port of imported MQTT brokers unless the server says `x-mockd-port` (default 0: a free port). */
  mqttPort?: number;
}

export type Importer = (source: ImportSource, data: unknown, options: ImportOptions) => Promise<ImportResult>;
