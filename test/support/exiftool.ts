import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Reads a file's metadata with Debian's exiftool (`-j -G1 -struct`), an independent reader. */
export async function exiftool(path: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-struct', path], {
    maxBuffer: 64 * 1024 * 1024,
  })
  const [record] = JSON.parse(stdout) as Record<string, unknown>[]
  if (record === undefined) throw new Error('exiftool returned nothing')
  return record
}
