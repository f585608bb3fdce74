import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSelvedge, type Selvedge } from '../../src/compose.js'

/** A Selvedge on a fresh temp folder (embedded SQLite + blobs); `dispose` removes it. */
export async function tempSelvedge(): Promise<{
  selvedge: Selvedge
  dir: string
  dispose(): Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-test-'))
  const selvedge = await openSelvedge({ dataDir: dir })
  return {
    selvedge,
    dir,
    dispose: async () => {
      await selvedge.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Every file under `dir` (recursively), relative paths; [] when absent. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string, prefix: string) => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`)
      else out.push(`${prefix}${e.name}`)
    }
  }
  await walk(dir, '')
  return out
}
