import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { LocalCredentials } from '../../app/studio-service.js'

/**
 * Keeps the owner key in a file readable by the local user only (0600), the way `~/.pgpass` or a
 * Jupyter token file do: the database holds only the key's hash, and this file is how the key is
 * handed to the operator who ran `init` on this machine.
 */
export class FileCredentials implements LocalCredentials {
  constructor(private readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      const text = (await readFile(this.path, 'utf8')).trim()
      return text.length > 0 ? text : null
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async write(ownerKey: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const tmp = `${this.path}.${process.pid}.tmp`
    await writeFile(tmp, `${ownerKey}\n`, { mode: 0o600 })
    await rename(tmp, this.path)
  }
}
