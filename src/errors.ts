// The error catalogue: exactly the codes of contract §8.2, each with one HTTP status.
// Code throws MockdError and branches on `code`; each edge translates once (admin onError, CLI, Comlink).

export const ERROR_STATUS = {
  invalid_json: 400,
  missing_type: 400,
  missing_id: 400,
  validation_error: 400,
  invalid_type: 400,
  invalid_base64: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  forbidden_host: 403,
  not_found: 404,
  duplicate_id: 409,
  route_collision: 409,
  port_conflict: 409,
  port_unavailable: 409,
  topic_conflict: 409,
  service_conflict: 409,
  body_too_large: 413,
  internal_error: 500,
  worker_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class MockdError extends Error {
  override readonly name = 'MockdError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.field === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, field: this.field };
  }
}

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** `validation error on <field>: <reason>` with the dotted field path, as contract §2 shows. */
export function validationError(field: string, reason: string): MockdError {
  return new MockdError('validation_error', `validation error on ${field}: ${reason}`, field);
}

export function notFound(message = 'Mock not found'): MockdError {
  return new MockdError('not_found', message);
}

/** Any thrown value as a MockdError; unknown errors become internal_error (details are logged, not echoed). */
export function toMockdError(err: unknown): MockdError {
  if (err instanceof MockdError) return err;
  const e = err as { code?: unknown; message?: unknown; field?: unknown } | undefined;
  if (e && isErrorCode(e.code) && typeof e.message === 'string') {
    return new MockdError(e.code, e.message, typeof e.field === 'string' ? e.field : undefined);
  }
  return new MockdError('internal_error', 'internal error');
}
