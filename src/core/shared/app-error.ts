/**
 * The one error base class. Each module subclasses it with a closed union of literal codes so
 * that `http/errors.ts` can map every code to a status at compile time.
 */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    opts?: { cause?: unknown },
  ) {
    super(message, opts)
    this.name = new.target.name
  }
}
