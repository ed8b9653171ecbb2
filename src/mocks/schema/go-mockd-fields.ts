// The mock config fields the Go mockd knows (github.com/getmockd/mockd, pkg/mock/types.go at commit 45c2906, v0.7.1),
// as data: each spec's fields, nested as in its JSON. Read from the Go types' `json` tags; `'*'` stands for any key of
// a map, arrays are their element, `true` is a plain value, and `'any'` is free-form data (interface{}, raw JSON, or a
// type from another Go package, which is not followed). A field mockd does not implement but the Go mockd knows is
// dropped with a warning, so the Go mockd's configs load; a field neither knows is refused (src/mocks/schema/unknown-fields.ts).

export type GoFieldNode = true | 'any' | { readonly [field: string]: GoFieldNode };

/** The Go mockd's top-level mock fields (its envelope and spec keys). */
export const GO_MOCKD_ENVELOPE: readonly string[] = ['id', 'type', 'name', 'operationId', 'description', 'enabled', 'parentId', 'folderId', 'metaSortKey', 'workspaceId', 'syncVersion', 'createdAt', 'updatedAt', 'http', 'websocket', 'graphql', 'grpc', 'soap', 'mqtt', 'oauth'];

export const GO_MOCKD_SPEC_FIELDS: { readonly [spec: string]: GoFieldNode } = {
  http: {
    priority: true,
    matcher: {
      method: true,
      path: true,
      pathPattern: true,
      headers: { '*': true },
      queryParams: { '*': true },
      bodyContains: true,
      bodyEquals: true,
      bodyPattern: true,
      bodyJsonPath: { '*': 'any' },
      mtls: {
        requireAuth: true,
        cn: true,
        cnPattern: true,
        ou: true,
        o: true,
        fingerprint: true,
        issuer: true,
        san: { dns: true, email: true, ip: true },
      },
    },
    response: {
      statusCode: true,
      headers: { '*': true },
      body: true,
      bodyFile: true,
      delayMs: true,
      seed: true,
    },
    sse: {
      events: { type: true, data: 'any', id: true, retry: true, comment: true, delay: true },
      generator: {
        type: true,
        count: true,
        sequence: { start: true, increment: true, format: true },
        random: {
          schema: { '*': 'any' },
        },
        template: {
          events: { type: true, data: 'any', id: true, retry: true, comment: true, delay: true },
          repeat: true,
        },
      },
      timing: {
        fixedDelay: true,
        randomDelay: { min: true, max: true },
        perEventDelays: true,
        burst: { count: true, interval: true, pause: true },
        initialDelay: true,
      },
      lifecycle: {
        keepaliveInterval: true,
        maxEvents: true,
        timeout: true,
        connectionTimeout: true,
        termination: {
          type: true,
          finalEvent: { type: true, data: 'any', id: true, retry: true, comment: true, delay: true },
          errorEvent: { type: true, data: 'any', id: true, retry: true, comment: true, delay: true },
          closeDelay: true,
        },
        simulateDisconnect: true,
      },
      rateLimit: { eventsPerSecond: true, burstSize: true, strategy: true, headers: true },
      resume: { enabled: true, bufferSize: true, maxAge: true },
      template: true,
      templateParams: { '*': 'any' },
    },
    chunked: { chunkSize: true, chunkDelay: true, data: true, dataFile: true, format: true, ndjsonItems: 'any' },
    validation: 'any',
    statefulOperation: true,
    statefulBinding: { table: true, action: true, operation: true },
  },
  websocket: {
    path: true,
    subprotocols: true,
    requireSubprotocol: true,
    matchers: {
      match: { type: true, value: true, path: true, messageType: true },
      response: { type: true, value: 'any', delay: true },
      noResponse: true,
    },
    defaultResponse: { type: true, value: 'any', delay: true },
    scenario: {
      name: true,
      steps: {
        type: true,
        message: { type: true, value: 'any', delay: true },
        match: { type: true, value: true, path: true, messageType: true },
        duration: true,
        timeout: true,
        optional: true,
      },
      loop: true,
      resetOnReconnect: true,
    },
    heartbeat: { enabled: true, interval: true, timeout: true },
    maxMessageSize: true,
    idleTimeout: true,
    maxConnections: true,
    echoMode: true,
  },
  mqtt: {
    port: true,
    tls: { enabled: true, certFile: true, keyFile: true },
    auth: {
      enabled: true,
      users: {
        username: true,
        password: true,
        acl: { topic: true, access: true },
      },
    },
    topics: {
      topic: true,
      qos: true,
      retain: true,
      messages: { payload: true, delay: true, repeat: true, interval: true },
      onPublish: {
        response: { payload: true, delay: true, repeat: true, interval: true },
        forward: true,
      },
      deviceSimulation: { enabled: true, deviceCount: true, deviceIdPattern: true },
    },
  },
  grpc: {
    port: true,
    protoFile: true,
    protoFiles: true,
    protoContent: true,
    importPaths: true,
    services: {
      '*': {
        methods: {
          '*': {
            response: 'any',
            responses: 'any',
            delay: true,
            streamDelay: true,
            error: {
              code: true,
              message: true,
              details: { '*': 'any' },
            },
            match: {
              metadata: { '*': true },
              request: { '*': 'any' },
            },
            variants: {
              response: 'any',
              responses: 'any',
              delay: true,
              streamDelay: true,
              error: {
                code: true,
                message: true,
                details: { '*': 'any' },
              },
              match: {
                metadata: { '*': true },
                request: { '*': 'any' },
              },
              variants: {
                response: 'any',
                responses: 'any',
                delay: true,
                streamDelay: true,
                error: {
                  code: true,
                  message: true,
                  details: { '*': 'any' },
                },
                match: {
                  metadata: { '*': true },
                  request: { '*': 'any' },
                },
                variants: {
                  response: 'any',
                  responses: 'any',
                  delay: true,
                  streamDelay: true,
                  error: {
                    code: true,
                    message: true,
                    details: { '*': 'any' },
                  },
                  match: {
                    metadata: { '*': true },
                    request: { '*': 'any' },
                  },
                  variants: {
                    response: 'any',
                    responses: 'any',
                    delay: true,
                    streamDelay: true,
                    error: {
                      code: true,
                      message: true,
                      details: { '*': 'any' },
                    },
                    match: {
                      metadata: { '*': true },
                      request: { '*': 'any' },
                    },
                    variants: {
                      response: 'any',
                      responses: 'any',
                      delay: true,
                      streamDelay: true,
                      error: {
                        code: true,
                        message: true,
                        details: { '*': 'any' },
                      },
                      match: {
                        metadata: { '*': true },
                        request: { '*': 'any' },
                      },
                      variants: {
                        response: 'any',
                        responses: 'any',
                        delay: true,
                        streamDelay: true,
                        error: {
                          code: true,
                          message: true,
                          details: { '*': 'any' },
                        },
                        match: {
                          metadata: { '*': true },
                          request: { '*': 'any' },
                        },
                        variants: {
                          response: 'any',
                          responses: 'any',
                          delay: true,
                          streamDelay: true,
                          error: {
                            code: true,
                            message: true,
                            details: { '*': 'any' },
                          },
                          match: {
                            metadata: { '*': true },
                            request: { '*': 'any' },
                          },
                          variants: {
                            response: 'any',
                            responses: 'any',
                            delay: true,
                            streamDelay: true,
                            error: {
                              code: true,
                              message: true,
                              details: { '*': 'any' },
                            },
                            match: {
                              metadata: { '*': true },
                              request: { '*': 'any' },
                            },
                            variants: {
                              response: 'any',
                              responses: 'any',
                              delay: true,
                              streamDelay: true,
                              error: {
                                code: true,
                                message: true,
                                details: { '*': 'any' },
                              },
                              match: {
                                metadata: { '*': true },
                                request: { '*': 'any' },
                              },
                              variants: {
                                response: 'any',
                                responses: 'any',
                                delay: true,
                                streamDelay: true,
                                error: 'any',
                                match: 'any',
                                variants: 'any',
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    reflection: true,
  },
};
