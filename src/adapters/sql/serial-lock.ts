/** Runs async tasks one at a time in call order; a failed task does not block the next. */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` after every task queued before it has settled; resolves to its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }
}
