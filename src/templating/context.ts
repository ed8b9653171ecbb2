// What a template can see when it renders (contract §3.3). Every protocol builds one TemplateContext per request or
// message and renders all of that response's templates with it:
//   - HTTP and SSE: the whole `request`.
//   - WebSocket (§5): `rawBody`/`body` are the received message; `path`, `query`, `headers` come from the upgrade.
//   - MQTT (§6): `extra` = {topic, clientid, payload}; `request.rawBody`/`body` are the received payload.
//   - gRPC (§7): `request.body` is the decoded request message (proto field names), `request.headers` the metadata.
// Every field is optional: a template that reads something the protocol does not provide renders "".

/** Request data visible as `request.*`. */
export interface TemplateRequest {
  method?: string;
  /** Path without the query string. */
  path?: string;
  /** Path plus query string, as received (`request.url`). */
  url?: string;
  rawBody?: string;
  /**
   * Parsed JSON body. Leave it undefined to let `request.body.*` parse `rawBody` itself, lazily and at most once per
   * request object, so callers only pay for JSON parsing when a template reads the body.
   */
  body?: unknown;
  /** Query parameters; a repeated key may hold an array, and templates see its first value. */
  query?: Record<string, string | string[] | undefined>;
  /** Header (or gRPC metadata) values. Names are looked up ignoring case; an array gives its first value. */
  headers?: Record<string, string | string[] | undefined>;
  /** URL-decoded path parameters of the matched mock (`{id}` → `pathParams.id`). */
  pathParams?: Record<string, string>;
  /** TLS facts of an HTTPS/WSS request (`request.tls.clientCN`, …; README "TLS"). */
  tls?: object;
}

export interface TemplateContext {
  request?: TemplateRequest;
  /**
   * Protocol-specific top-level names, e.g. MQTT's `topic`, `clientid`, `payload` (§6). A template refers to them by
   * name, ignoring case (`{{topic}}`, `{{clientId}}`); object values can be walked with dots (`{{meta.a.b}}`).
   * Built-in names (`uuid`, `now`, `request`, …) win over an extra of the same name.
   */
  extra?: Record<string, unknown>;
}

/** A compiled expression: returns a raw value; `toText` turns it into the rendered string. */
export type Resolver = (ctx: TemplateContext) => unknown;

export const EMPTY_CONTEXT: TemplateContext = Object.freeze({});
