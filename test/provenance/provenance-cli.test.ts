import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encode, noiseImage } from '../support/images.js'

const run = promisify(execFile)
const BIN = resolve(import.meta.dirname, '../../bin/selvedge')

let dir: string
let data: string

async function selvedge(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SELVEDGE_DATA: data }
  delete env['DATABASE_URL']
  delete env['SELVEDGE_KEY']
  try {
    const { stdout, stderr } = await run(BIN, args, { env, cwd: dir, maxBuffer: 16 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function stepFile(name: string, step: unknown): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify(step))
  return file
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-authorship-cli-'))
  data = join(dir, 'data')
  expect((await selvedge('init', '--json')).code).toBe(0)
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('selvedge authorship', () => {
  it('adds steps, shows the journal with its tier and drafts the statement', async () => {
    const png = join(dir, 'p1.png')
    await writeFile(png, await encode(noiseImage(40, 32, 11)))
    const ingested = await selvedge('ingest', png, '--json')
    expect(ingested.code).toBe(0)
    const asset = (JSON.parse(ingested.stdout) as { id: string; sha256: string }[])[0]!

    const ai = await stepFile('ai.json', {
      actor: { kind: 'ai', name: 'SDXL', model: { name: 'sdxl', version: '1.0' } },
      action: 'c2pa.created',
      digitalSourceType: 'trainedAlgorithmicMedia',
      parameters: { prompt: 'indigo paisley', seed: 3 },
    })
    const added = await selvedge('authorship', 'add', asset.id, '--step', ai, '--json')
    expect(added.code).toBe(0)
    expect(JSON.parse(added.stdout)).toMatchObject({ seq: 1, tier: 'synthetic' })
    expect(typeof JSON.parse(added.stdout).logIndex).toBe('number')

    const human = await stepFile('human.json', {
      actor: { kind: 'human', name: 'Ada Weaver' },
      action: 'c2pa.drawing',
      outputSha256: asset.sha256,
      rationale: 'redrew the teardrops by hand',
    })
    expect((await selvedge('authorship', 'add', asset.id, '--step', human, '--json')).code).toBe(0)

    const shown = await selvedge('authorship', 'show', asset.id, '--json')
    expect(shown.code).toBe(0)
    const journal = JSON.parse(shown.stdout) as { tier: string; steps: { seq: number }[] }
    expect(Object.keys(journal).sort()).toEqual(['steps', 'tier'])
    expect(journal.tier).toBe('human-directed')
    expect(journal.steps.map((s) => s.seq)).toEqual([1, 2])

    const md = await selvedge('authorship', 'statement', asset.id, '--format', 'md')
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('## Proposed "Material Excluded"')
    expect(md.stdout).toContain('Hand-drawn motifs')
    expect(md.stdout).toContain('DRAFT FOR COUNSEL')
  })

  it('refuses bad steps and unknown statement formats with their codes', async () => {
    const png = join(dir, 'p2.png')
    await writeFile(png, await encode(noiseImage(40, 32, 12)))
    const asset = (
      JSON.parse((await selvedge('ingest', png, '--json')).stdout) as { id: string }[]
    )[0]!
    const bad = await stepFile('bad.json', {
      actor: { kind: 'human', name: 'Ada' },
      action: 'c2pa.drawing',
      outputSha256: 'e'.repeat(64),
    })
    const r = await selvedge('authorship', 'add', asset.id, '--step', bad, '--json')
    expect(r.code).toBe(4)
    expect(JSON.parse(r.stdout).error.code).toBe('AUTHORSHIP_OUTPUT_MISMATCH')
    const docx = await selvedge('authorship', 'statement', asset.id, '--format', 'docx', '--json')
    expect(docx.code).toBe(4)
    expect(JSON.parse(docx.stdout).error.code).toBe('AUTHORSHIP_FORMAT_UNSUPPORTED')
    expect((await selvedge('authorship', 'add', asset.id)).code).toBe(2)
    const missing = await selvedge('authorship', 'add', asset.id, '--step', join(dir, 'no.json'))
    expect(missing.code).toBe(4)
    const empty = JSON.parse((await selvedge('authorship', 'show', asset.id, '--json')).stdout)
    expect(empty).toEqual({ tier: 'unknown', steps: [] })
  })
})
