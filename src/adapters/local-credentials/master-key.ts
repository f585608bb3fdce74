import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const MASTER_KEY_FILE = 'master-key'

/**
 * The instance master key that seals signing keys at rest: `SELVEDGE_MASTER_KEY` (base64 of 32
 * bytes; set it when several processes share a PostgreSQL database), otherwise
 * `<dataDir>/master-key`, created with mode 0600 on first use.
 */
export async function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  const fromEnv = env['SELVEDGE_MASTER_KEY']
  if (fromEnv !== undefined && fromEnv !== '') return decode(fromEnv, 'SELVEDGE_MASTER_KEY')
  const path = join(dataDir, MASTER_KEY_FILE)
  try {
    return decode((await readFile(path, 'utf8')).trim(), path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dataDir, { recursive: true })
  const key = randomBytes(32)
  try {
    // 'wx': never overwrite a key another process has just written.
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    return new Uint8Array(key)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return decode((await readFile(path, 'utf8')).trim(), path)
  }
}

function decode(text: string, where: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length !== 32) throw new Error(`${where}: the master key must be base64 of 32 bytes`)
  return new Uint8Array(bytes)
}
