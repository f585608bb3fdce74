import { AppError } from '../shared/index.js'

/**
 * `CANONICAL_JSON_UNSUPPORTED`: a value has no RFC 8785 form: a non-finite number, `undefined`,
 * a function, symbol or bigint, a non-plain object, a sparse array, a cycle, a string with a
 * lone surrogate (not I-JSON, RFC 7493 §2.1), or nesting deeper than 1,000 levels.
 */
export type CanonicalJsonErrorCode = 'CANONICAL_JSON_UNSUPPORTED'

/** A value that cannot be canonicalised as RFC 8785 JSON. */
export class CanonicalJsonError extends AppError<CanonicalJsonErrorCode> {}
