import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { BlobStore } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * Content-addressed blobs on the local file system, at `<root>/sha256/ab/cd/<hex>`.
 *
 * `put` writes a uniquely named temp file under `<root>/tmp/`, fsyncs it, renames it into place
 * and fsyncs the directories it changed, so a blob under its final name is always whole and its
 * SHA-256 matches its name, even after a crash (a crash leaves at most a temp file behind).
 * Concurrent `put`s of the same bytes are safe: each rename atomically installs identical
 * content. A hash that is not 64 lower-case hex digits never reaches the file system: `get`
 * answers null and `has` false. File-system errors throw `StorageError('STORAGE_FAILURE')`.
 */
export class FsBlobStore implements BlobStore {
  private readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  async put(bytes: Uint8Array): Promise<{ readonly sha256: string; readonly sizeBytes: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const result = { sha256, sizeBytes: bytes.byteLength }
    const target = this.pathOf(sha256)
    try {
      if (await exists(target)) return result
      const tmpDir = join(this.root, 'tmp')
      await mkdir(tmpDir, { recursive: true })
      const tmp = join(tmpDir, `${sha256}.${randomUUID()}.tmp`)
      try {
        const file = await open(tmp, 'wx')
        try {
          await file.writeFile(bytes)
          await file.sync()
        } finally {
          await file.close()
        }
        const created = await mkdir(dirname(target), { recursive: true })
        await rename(tmp, target)
        await this.syncDirectories(dirname(target), created)
      } catch (error) {
        await rm(tmp, { force: true }).catch(() => undefined)
        throw error
      }
      return result
    } catch (error) {
      throw new StorageError('STORAGE_FAILURE', `storing blob ${sha256} failed`, { cause: error })
    }
  }

  async get(sha256: string): Promise<Buffer | null> {
    if (!SHA256_HEX.test(sha256)) return null
    try {
      return await readFile(this.pathOf(sha256))
    } catch (error) {
      if (isNotFound(error)) return null
      throw new StorageError('STORAGE_FAILURE', `reading blob ${sha256} failed`, { cause: error })
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!SHA256_HEX.test(sha256)) return false
    try {
      return await exists(this.pathOf(sha256))
    } catch (error) {
      throw new StorageError('STORAGE_FAILURE', `checking blob ${sha256} failed`, { cause: error })
    }
  }

  // Only ever called with a validated hash: the path cannot leave `<root>/sha256`.
  private pathOf(sha256: string): string {
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  // The rename is durable once the target directory is synced; directories that `mkdir` just
  // created are durable once their parents are synced, up to the parent of the first of them.
  private async syncDirectories(
    targetDir: string,
    firstCreated: string | undefined,
  ): Promise<void> {
    let dir = targetDir
    await syncDirectory(dir)
    if (firstCreated === undefined) return
    const stop = dirname(firstCreated)
    while (dir !== stop && dir !== dirname(dir)) {
      dir = dirname(dir)
      await syncDirectory(dir)
    }
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if (isNotFound(error)) return false
    throw error
  }
}

function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
  )
}
