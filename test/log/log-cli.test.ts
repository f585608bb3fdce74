import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openNote, verifyCosignatures, verifyProofFile } from '../../src/core/tlog/index.js'
import { encode, noiseImage } from '../support/images.js'
import { cliEnv, runCli, SELVEDGE_BIN } from '../support/run-cli.js'
import { listFiles } from '../support/temp-selvedge.js'

let dir: string
let data: string

function selvedge(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return runCli(args, { dataDir: data, cwd: dir, env: extra })
}

/** Starts a long-running command and resolves with its first JSON line on stdout. */
async function serve(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const child = spawn(SELVEDGE_BIN, args, {
    env: cliEnv(data, extra),
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8')
  })
  const first = await new Promise<Record<string, string>>((resolveLine, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      const nl = out.indexOf('\n')
      if (nl >= 0) resolveLine(JSON.parse(out.slice(0, nl)))
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)))
  })
  const stop = async () => {
    const exited = new Promise((r) => child.on('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  return { first, stop }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-log-cli-'))
  data = join(dir, 'data')
  await mkdir(join(dir, 'in'))
  for (let i = 0; i < 3; i++) {
    await writeFile(join(dir, 'in', `n${i}.png`), await encode(noiseImage(40 + i, 30, i + 1)))
  }
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('selvedge log', () => {
  let vkey: string
  let witnessVkey: string

  it('logs a folder ingest, cosigned by a witness, and proves each entry', async () => {
    // A witness process (its own data folder) that trusts this instance's log key.
    vkey = (await selvedge(['log', 'vkey'])).stdout.trim()
    expect(vkey).toMatch(/^selvedge\.local\/log\+[0-9a-f]{8}\+/)
    const witnessData = join(dir, 'witness-data')
    const witness = await serve(
      ['witness', 'serve', '--port', '0', '--log-vkey', vkey, '--name', 'witness.test/w', '--json'],
      { SELVEDGE_DATA: witnessData },
    )
    witnessVkey = witness.first['vkey'] as string
    try {
      const ingest = await selvedge(['ingest', join(dir, 'in'), '--json'], {
        SELVEDGE_WITNESSES: `${witness.first['url']} ${witnessVkey}`,
      })
      expect(ingest.code, ingest.stderr).toBe(0)
      const rows = JSON.parse(ingest.stdout) as { logIndex: number; sha256: string }[]
      expect(rows.map((r) => r.logIndex).sort()).toEqual([0, 1, 2])
      const checkpoint = await selvedge(['log', 'checkpoint'])
      expect(openNote(checkpoint.stdout, [vkey]).text).toMatch(/^selvedge\.local\/log\n3\n/)
      expect(verifyCosignatures(checkpoint.stdout, [witnessVkey])).toHaveLength(1)
      for (const row of rows) {
        const raw = (await selvedge(['log', 'entry', '--index', String(row.logIndex)])).raw
        expect(JSON.parse(raw.toString('utf8'))).toMatchObject({
          type: 'asset.registered',
          sha256: row.sha256,
        })
        const proof = await selvedge(['log', 'proof', '--index', String(row.logIndex)])
        expect(
          verifyProofFile({
            vkey,
            proofFile: proof.stdout,
            entry: raw,
            witnessVkeys: [witnessVkey],
          }),
        ).toMatchObject({ ok: true, cosignatures: [expect.anything()] })
      }
    } finally {
      await witness.stop()
    }
  })

  it('prints consistency proofs and answers bad arguments with usage and not-found codes', async () => {
    const proof = await selvedge(['log', 'consistency', '--old', '1'])
    expect(proof.code).toBe(0)
    expect(proof.stdout).toMatch(/^([A-Za-z0-9+/]{43}=\n)+$/)
    const json = JSON.parse(
      (await selvedge(['log', 'consistency', '--old', '1', '--new', '2', '--json'])).stdout,
    )
    expect(json).toMatchObject({ old: 1, new: 2, proof: [expect.any(String)] })
    expect((await selvedge(['log', 'proof'])).code).toBe(2)
    expect((await selvedge(['log', 'proof', '--index', 'x'])).code).toBe(2)
    expect((await selvedge(['log', 'nope'])).code).toBe(2)
    const missing = await selvedge(['log', 'entry', '--index', '999', '--json'])
    expect(missing.code).toBe(3)
    expect(JSON.parse(missing.stdout).error.code).toBe('LOG_INDEX_OUT_OF_RANGE')
    const backwards = await selvedge(['log', 'consistency', '--old', '3', '--new', '1', '--json'])
    expect(backwards.code).toBe(4)
    expect(JSON.parse(backwards.stdout).error.code).toBe('LOG_SIZE_INVALID')
  })

  it('exports the log as served, audits it from the folder and over HTTP, and catches tampering', async () => {
    const out = join(dir, 'export')
    const exported = await selvedge(['log', 'export', out, '--json'])
    expect(exported.code, exported.stderr).toBe(0)
    expect((await listFiles(out)).sort()).toEqual(
      ['checkpoint', 'tile/0/000.p/3', 'tile/entries/000.p/3'].sort(),
    )

    const good = await selvedge([
      'log',
      'audit',
      out,
      '--vkey',
      vkey,
      '--witness-vkey',
      witnessVkey,
      '--json',
    ])
    expect(good.code, good.stdout).toBe(0)
    expect(JSON.parse(good.stdout)).toMatchObject({
      ok: true,
      size: 3,
      entriesChecked: 3,
      tilesChecked: 1,
      cosignatures: [expect.objectContaining({ name: 'witness.test/w' })],
      failures: [],
    })

    // Over HTTP, from a running `selvedge serve`: the same verdict.
    const server = await serve(['serve', '--port', '0', '--json'])
    try {
      const remote = await selvedge([
        'log',
        'audit',
        `${server.first['url']}/log`,
        '--vkey',
        vkey,
        '--json',
      ])
      expect(remote.code, remote.stdout).toBe(0)
      expect(JSON.parse(remote.stdout)).toMatchObject({ ok: true, size: 3 })
    } finally {
      await server.stop()
    }

    // A wrong key, and a flipped byte in the hash tile.
    const otherKey = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')
    const wrongKey = await selvedge(['log', 'audit', out, '--vkey', otherKey, '--json'])
    expect(wrongKey.code).not.toBe(0)
    const tile = join(out, 'tile/0/000.p/3')
    const bytes = await readFile(tile)
    bytes[5] = (bytes[5] as number) ^ 1
    await writeFile(tile, bytes)
    const bad = await selvedge(['log', 'audit', out, '--vkey', vkey, '--json'])
    expect(bad.code).toBe(8)
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      failures: [{ code: 'LOG_PROOF_INVALID', path: 'tile/0/000.p/3' }],
    })
    await rm(join(out, 'tile/entries/000.p/3'))
    const gone = JSON.parse(
      (await selvedge(['log', 'audit', out, '--vkey', vkey, '--json'])).stdout,
    )
    expect(gone.failures).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'tile/entries/000.p/3' })]),
    )
  })
})
