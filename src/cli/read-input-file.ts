import { readFile } from 'node:fs/promises'
import { HttpError } from '../http/errors.js'

/** Reads a file named on the command line; `FILE_UNREADABLE` when it is missing or a folder. */
export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder'
          : (code ?? 'unreadable')
    throw new HttpError('FILE_UNREADABLE', `${path}: ${why}`, { cause })
  }
}
