import type { HashReader } from '../../core/tlog/index.js'
import { LogError } from './log-error.js'

/** The text of a signed note: everything before the blank line, ending in a newline. */
export function noteText(note: string): string {
  const blank = note.indexOf('\n\n')
  if (blank < 0) throw new LogError('LOG_STATE_INVALID', 'a stored checkpoint is not a note')
  return note.slice(0, blank + 1)
}

/**
 * A synchronous hash reader over prefetched stored hashes. A missing index means the database
 * lacks a hash the tree needs: it throws `LOG_STATE_INVALID` (fail closed).
 */
export function readerOver(hashes: ReadonlyMap<number, Uint8Array>): HashReader {
  return (indexes) =>
    indexes.map((i) => {
      const h = hashes.get(i)
      if (h === undefined) throw new LogError('LOG_STATE_INVALID', `stored hash ${i} is missing`)
      return h
    })
}
