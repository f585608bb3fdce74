import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FsBlobStore } from '../../src/adapters/blob-fs/index.js'
import { StorageError } from '../../src/app/storage-error.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/** Every stored blob's content must hash to its name, at the path its name dictates. */
async function expectConsistent(root: string): Promise<string[]> {
  const names: string[] = []
  for (const file of await filesUnder(join(root, 'sha256'))) {
    const name = relative(join(root, 'sha256'), file).split(sep)
    expect(name).toHaveLength(3)
    const [ab, cd, hex] = name as [string, string, string]
    expect(hex).toMatch(/^[0-9a-f]{64}$/)
    expect(ab + cd).toBe(hex.slice(0, 4))
    expect(sha256(await readFile(file))).toBe(hex)
    names.push(hex)
  }
  return names
}

describe('FsBlobStore', () => {
  let root: string
  let blobs: FsBlobStore

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'selvedge-blobs-'))
    blobs = new FsBlobStore(root)
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('stores bytes under their SHA-256 at sha256/ab/cd/<hex>', async () => {
    const bytes = randomBytes(1000)
    const hex = sha256(bytes)
    expect(await blobs.put(bytes)).toEqual({ sha256: hex, sizeBytes: 1000 })
    expect(await blobs.has(hex)).toBe(true)
    expect(await blobs.get(hex)).toEqual(Buffer.from(bytes))
    expect(await stat(join(root, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex))).toBeDefined()
    expect(await filesUnder(join(root, 'tmp'))).toEqual([])
  })

  it('stores the empty blob', async () => {
    const put = await blobs.put(new Uint8Array())
    expect(put.sizeBytes).toBe(0)
    expect(await blobs.get(put.sha256)).toEqual(Buffer.alloc(0))
  })

  it('answers null and false for an absent blob', async () => {
    const hex = sha256(Buffer.from('never stored'))
    expect(await blobs.get(hex)).toBeNull()
    expect(await blobs.has(hex)).toBe(false)
  })

  it('is idempotent', async () => {
    const bytes = Buffer.from('same bytes')
    const first = await blobs.put(bytes)
    expect(await blobs.put(bytes)).toEqual(first)
    expect(await expectConsistent(root)).toEqual([first.sha256])
  })

  it('never lets a hash that is not 64 lower-case hex digits reach the file system', async () => {
    const bytes = Buffer.from('secret')
    const { sha256: hex } = await blobs.put(bytes)
    await writeFile(join(root, 'secret'), 'outside the blob tree')
    const hostile = [
      hex.toUpperCase(),
      hex.slice(0, 63),
      `${hex}0`,
      `../../../secret`,
      `${'.'.repeat(62)}/x`,
      '',
      `${hex.slice(0, 60)}/../`,
      `${hex.slice(0, 63)}\n`,
    ]
    for (const h of hostile) {
      expect(await blobs.get(h)).toBeNull()
      expect(await blobs.has(h)).toBe(false)
    }
  })

  it('handles concurrent puts of the same bytes', async () => {
    const bytes = randomBytes(200_000)
    const results = await Promise.all(Array.from({ length: 24 }, () => blobs.put(bytes)))
    for (const r of results) expect(r).toEqual({ sha256: sha256(bytes), sizeBytes: 200_000 })
    expect(await expectConsistent(root)).toEqual([sha256(bytes)])
    expect(await filesUnder(join(root, 'tmp'))).toEqual([])
  })

  it('handles concurrent puts of different bytes', async () => {
    const contents = Array.from({ length: 60 }, (_, i) => randomBytes(1000 + i))
    const results = await Promise.all(contents.map((b) => blobs.put(b)))
    for (const [i, bytes] of contents.entries()) {
      expect(results[i]?.sha256).toBe(sha256(bytes))
      expect(await blobs.get(sha256(bytes))).toEqual(Buffer.from(bytes))
    }
    expect((await expectConsistent(root)).sort()).toEqual(results.map((r) => r.sha256).sort())
  })

  it('never shows a temp file left by a crash under a final name', async () => {
    const bytes = randomBytes(10_000)
    const hex = sha256(bytes)
    // What a writer killed mid-write leaves behind: a partial temp file.
    await mkdir(join(root, 'tmp'), { recursive: true })
    await writeFile(join(root, 'tmp', `${hex}.crashed.tmp`), bytes.subarray(0, 4_000))
    expect(await blobs.has(hex)).toBe(false)
    expect(await blobs.get(hex)).toBeNull()
    expect(await blobs.put(bytes)).toEqual({ sha256: hex, sizeBytes: 10_000 })
    expect(await blobs.get(hex)).toEqual(Buffer.from(bytes))
    expect(await expectConsistent(root)).toEqual([hex])
  })

  it('keeps every final file whole when the writing process is killed', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./blob-writer.child.ts', import.meta.url)), root],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stored = ''
    let errors = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stored += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8')
    })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.on('exit', (_code, signal) => resolve(signal))
    })
    // Kill it mid-stream, once it has stored a few blobs.
    const deadline = Date.now() + 30_000
    while (stored.split('\n').length < 6 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(errors).toBe('')
    const reported = stored.split('\n').filter((line) => line.length === 64)
    expect(reported.length).toBeGreaterThanOrEqual(5)
    const onDisk = await expectConsistent(root)
    // Every blob whose put resolved is there; at most the one in flight may have landed too.
    for (const hex of reported) expect(onDisk).toContain(hex)
    expect(onDisk.length - reported.length).toBeLessThanOrEqual(1)
    for (const hex of reported) expect(await new FsBlobStore(root).has(hex)).toBe(true)
  })

  it('wraps file-system failures in STORAGE_FAILURE', async () => {
    const file = join(root, 'not-a-directory')
    await writeFile(file, 'x')
    const broken = new FsBlobStore(file)
    const error = await broken.put(Buffer.from('y')).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).code).toBe('STORAGE_FAILURE')
    expect((error as StorageError).cause).toBeDefined()
  })
})
