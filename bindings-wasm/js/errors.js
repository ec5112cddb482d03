// The error classes of the package: real `Error` subclasses, so `instanceof` works in Node,
// workerd and browsers. `info` is the error's whole JSON form, identical in every language.

export class WagroupsError extends Error {
  constructor(info) {
    super(info.message);
    this.name = new.target.name;
    this.info = info;
    this.code = info.code;
    this.kind = info.kind;
    this.retry = info.retry;
    this.origin = info.origin;
  }

  /** Everything besides code, kind, retry, origin, error_class and message. */
  get details() {
    const { code, kind, retry, origin, error_class, message, ...rest } = this.info;
    return rest;
  }
}

/** The parameters break rules; `errors` lists every problem with its path. */
export class ValidationError extends WagroupsError {
  get errors() {
    return this.info.errors ?? [];
  }
}

/** Bytes that are not a readable image. */
export class ImageError extends WagroupsError {}

/** A reply that cannot be read (not JSON, or the wrong shape). */
export class DecodeError extends WagroupsError {}

/** A delivery that is not a WhatsApp Business Account webhook. */
export class WebhookError extends WagroupsError {}

/** The signature or the GET handshake did not check out: answer 401/403. */
export class VerificationError extends WagroupsError {}

/** The Graph API said no; classified on its code, the raw reply in `info.raw`. */
export class ApiError extends WagroupsError {
  get httpStatus() {
    return this.info.http_status;
  }
  get graphCode() {
    return this.info.graph_code ?? null;
  }
  get retryAfterSeconds() {
    return this.info.retry_after_seconds ?? null;
  }
}

const classes = { ValidationError, ImageError, DecodeError, WebhookError, VerificationError, ApiError };

/** The class the core named in the error's JSON (`error_class`). */
export function errorFromInfo(info) {
  const Class = classes[info.error_class] ?? WagroupsError;
  return new Class(info);
}
