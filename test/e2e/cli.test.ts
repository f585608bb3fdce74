import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { encode, flatTile, noiseImage } from '../support/images.js'
import { runCli } from '../support/run-cli.js'

let dir: string
let data: string

/** Runs the real `selvedge` binary on the embedded default (no DATABASE_URL). */
function selvedge(...args: string[]) {
  return runCli(args, { dataDir: data, cwd: dir })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-cli-'))
  data = join(dir, 'data')
  await mkdir(join(dir, 'in'))
  const inks: [number, number, number][] = [
    [0x22, 0x44, 0x66],
    [0xf0, 0xe6, 0xd2],
    [0xb0, 0x30, 0x30],
    [0x30, 0x80, 0x40],
  ]
  await writeFile(
    join(dir, 'in', 'a-drop.png'),
    await encode(buildRepeat(flatTile(96, 132, inks), 'half-drop', 576, 660)),
  )
  await writeFile(join(dir, 'in', 'b-noise.png'), await encode(noiseImage(120, 90, 5)))
  await writeFile(join(dir, 'in', 'c-broken.png'), Buffer.from('\x89PNG\r\n\x1a\nbroken', 'latin1'))
  await writeFile(join(dir, 'in', 'notes.txt'), 'not an image, and not picked up from a folder')
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('selvedge CLI', () => {
  it('prints its version', async () => {
    const r = await selvedge('--version')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('init is idempotent and prints only JSON on stdout', async () => {
    const first = await selvedge('init', '--json')
    expect(first.code).toBe(0)
    const a = JSON.parse(first.stdout)
    expect(Object.keys(a).sort()).toEqual(['ownerKey', 'studioId'])
    const second = JSON.parse((await selvedge('init', '--json')).stdout)
    expect(second).toEqual(a)
  })

  it('analyse follows the contract', async () => {
    const r = await selvedge('analyse', join(dir, 'in', 'a-drop.png'), '--json')
    expect(r.code).toBe(0)
    const facts = JSON.parse(r.stdout)
    expect(Object.keys(facts).sort()).toEqual(
      [
        'colourCount',
        'format',
        'height',
        'palette',
        'pdq',
        'repeat',
        'seamless',
        'sha256',
        'width',
      ].sort(),
    )
    expect(facts).toMatchObject({
      width: 576,
      height: 660,
      format: 'png',
      colourCount: 4,
      repeat: { type: 'half-drop', tileWidth: 96, tileHeight: 132 },
    })
    expect(facts.pdq.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(facts.palette[0]).toEqual({
      hex: expect.stringMatching(/^#[0-9a-f]{6}$/),
      lab: expect.any(Array),
      coverage: expect.any(Number),
    })
  })

  it('analyse reports bad input with a code and a non-zero exit', async () => {
    const r = await selvedge('analyse', join(dir, 'in', 'notes.txt'), '--json')
    expect(r.code).toBe(5)
    expect(JSON.parse(r.stdout).error.code).toBe('IMAGE_UNSUPPORTED_TYPE')
    const missing = await selvedge('analyse', join(dir, 'nope.png'), '--json')
    expect(missing.code).toBe(4)
    expect(JSON.parse(missing.stdout).error.code).toBe('FILE_UNREADABLE')
  })

  it('ingests a folder, rejecting the broken file but keeping the others', async () => {
    const r = await selvedge(
      'ingest',
      join(dir, 'in'),
      '--collection',
      'Spring',
      '--designer',
      'Ada',
      '--json',
    )
    expect(r.code).not.toBe(0)
    const rows = JSON.parse(r.stdout) as {
      file: string
      status: string
      id: string | null
      error?: { code: string }
    }[]
    expect(rows.map((x) => [x.file.split('/').pop(), x.status])).toEqual([
      ['a-drop.png', 'created'],
      ['b-noise.png', 'created'],
      ['c-broken.png', 'rejected'],
    ])
    expect(rows[2]?.error?.code).toBe('IMAGE_UNREADABLE')

    const again = JSON.parse(
      (await selvedge('ingest', join(dir, 'in', 'a-drop.png'), '--json')).stdout,
    )
    expect(again).toEqual([expect.objectContaining({ status: 'existing', id: rows[0]?.id })])

    const shown = await selvedge('show', rows[0]?.id as string, '--json')
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: rows[0]?.id,
      collection: { name: 'Spring' },
      designers: [{ name: 'Ada', shareBps: 10000 }],
      repeat: { type: 'half-drop' },
    })
    const missing = await selvedge('show', 'ast_nope', '--json')
    expect(missing.code).toBe(3)
  })

  it('searches by repeat, colour and similarity', async () => {
    const drops = JSON.parse((await selvedge('search', '--repeat', 'half-drop', '--json')).stdout)
    expect(drops.map((a: { title: string }) => a.title)).toEqual(['a drop'])
    const red = JSON.parse(
      (await selvedge('search', '--colour', 'b03030', '--colour-tolerance', '2', '--json')).stdout,
    )
    expect(red.map((a: { title: string }) => a.title)).toEqual(['a drop'])
    const bad = await selvedge('search', '--colour', 'b03030', '--colour-tolerance', 'x', '--json')
    expect(bad.code).toBe(4)
    const similar = JSON.parse(
      (await selvedge('search', '--similar', join(dir, 'in', 'a-drop.png'), '--json')).stdout,
    )
    expect(similar[0]).toMatchObject({ distance: 0 })
  })

  it('creates keys for outside parties', async () => {
    const r = await selvedge(
      'keys',
      'create',
      '--role',
      'agent',
      '--party',
      'did:web:agent.example',
      '--name',
      'Bot',
      '--json',
    )
    expect(r.code).toBe(0)
    const k = JSON.parse(r.stdout)
    expect(Object.keys(k).sort()).toEqual(['id', 'key', 'party', 'role'])
    expect(k).toMatchObject({ role: 'agent', party: 'did:web:agent.example' })
    const bad = await selvedge('keys', 'create', '--role', 'emperor', '--json')
    expect(bad.code).toBe(4)
    expect(JSON.parse(bad.stdout).error.code).toBe('KEY_INPUT_INVALID')
  })
})
