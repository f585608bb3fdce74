import { generateKeyPairSync, sign } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WitnessService } from '../../src/app/log/index.js'
import { openSelvedge, type Selvedge } from '../../src/compose.js'
import {
  EMPTY_TREE_HASH,
  formatAddCheckpointRequest,
  formatCheckpoint,
  formatVerifierKey,
  type Hash,
  leafHash,
  type NoteSigner,
  nodeHash,
  proveConsistency,
  signNote,
  storedHashesForRecord,
  verifyCosignatures,
  verifyProofFile,
} from '../../src/core/tlog/index.js'
import { createWitnessApi } from '../../src/http/routes/witness-routes.js'

const dirs: string[] = []
async function tempSelvedge(config: Parameters<typeof openSelvedge>[0]['log'] = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-witness-'))
  dirs.push(dir)
  return openSelvedge({ dataDir: dir, log: { batchIntervalMs: 10, ...config } })
}

function testSigner(name: string): NoteSigner & { vkey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
  return {
    name,
    publicKey: raw,
    sign: (m) => new Uint8Array(sign(null, m, privateKey)),
    vkey: formatVerifierKey(name, raw),
  }
}

// A tiny tree of leaves "0".."n-1", hashed by hand (RFC 9162), to build test checkpoints.
function leaves(n: number): Hash[] {
  return Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(String(i))))
}
function mth(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_TREE_HASH
  if (hashes.length === 1) return hashes[0] as Hash
  let k = 1
  while (k * 2 < hashes.length) k *= 2
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)))
}

describe('witness', () => {
  const origin = 'example.com/test-log'
  const logKey = testSigner(origin)
  let witnessSelvedge: Selvedge
  let witness: WitnessService
  let app: FastifyInstance

  function checkpointNote(size: number, signer: NoteSigner = logKey): string {
    return signNote(formatCheckpoint({ origin, size, rootHash: mth(leaves(size)) }), [signer])
  }
  async function post(body: string) {
    return app.inject({ method: 'POST', url: '/add-checkpoint', payload: body })
  }

  beforeAll(async () => {
    witnessSelvedge = await tempSelvedge()
    witness = new WitnessService({
      store: witnessSelvedge.store,
      keyRing: witnessSelvedge.keyRing,
      clock: witnessSelvedge.clock,
      name: 'witness.example/w1',
      logVkeys: [logKey.vkey],
    })
    app = await createWitnessApi(witness)
  })
  afterAll(async () => {
    await app.close()
    await witnessSelvedge.close()
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  })

  it('answers every add-checkpoint case with the status tlog-witness specifies', async () => {
    const wvkey = await witness.vkey()
    // First sight of the log: old 0, empty proof.
    const first = await post(
      formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: checkpointNote(3) }),
    )
    expect(first.statusCode).toBe(200)
    expect(first.body).toMatch(/^— witness\.example\/w1 [A-Za-z0-9+/=]+\n$/)
    expect(verifyCosignatures(checkpointNote(3) + first.body, [wvkey])).toHaveLength(1)

    // A stale old size: 409 with the size it last cosigned, as text/x.tlog.size.
    const stale = await post(
      formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: checkpointNote(5) }),
    )
    expect(stale.statusCode).toBe(409)
    expect(stale.headers['content-type']).toBe('text/x.tlog.size')
    expect(stale.body).toBe('3\n')

    // A correct consistency proof 3 → 5, from the core's prover over stored hashes.
    const stored: Hash[] = []
    const read = (indexes: readonly number[]) => indexes.map((i) => stored[i] as Hash)
    for (const [n, leaf] of leaves(5).entries())
      stored.push(...storedHashesForRecord(n, leaf, read))
    const proof = proveConsistency(5, 3, read)
    const bad = await post(
      formatAddCheckpointRequest({
        oldSize: 3,
        proof: [new Uint8Array(32)],
        checkpoint: checkpointNote(5),
      }),
    )
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.code).toBe('WITNESS_PROOF_INVALID')
    const good = await post(
      formatAddCheckpointRequest({ oldSize: 3, proof, checkpoint: checkpointNote(5) }),
    )
    expect(good.statusCode, good.body).toBe(200)

    // Same size again: cosigned again when the root matches, 409 when it does not.
    const same = await post(
      formatAddCheckpointRequest({ oldSize: 5, proof: [], checkpoint: checkpointNote(5) }),
    )
    expect(same.statusCode).toBe(200)
    const forked = signNote(
      formatCheckpoint({ origin, size: 5, rootHash: mth(leaves(6).slice(1)) }),
      [logKey],
    )
    const fork = await post(
      formatAddCheckpointRequest({ oldSize: 5, proof: [], checkpoint: forked }),
    )
    expect(fork.statusCode).toBe(409)

    // old > size: 400.
    const backwards = await post(
      formatAddCheckpointRequest({ oldSize: 5, proof: [], checkpoint: checkpointNote(4) }),
    )
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.code).toBe('WITNESS_OLD_SIZE_INVALID')

    // Signed by a key the witness does not trust for this origin: 403.
    const impostor = testSigner(origin)
    const untrusted = await post(
      formatAddCheckpointRequest({
        oldSize: 5,
        proof: [],
        checkpoint: checkpointNote(5, impostor),
      }),
    )
    expect(untrusted.statusCode).toBe(403)

    // Unknown origin: 404.
    const other = testSigner('example.com/other')
    const unknown = await post(
      formatAddCheckpointRequest({
        oldSize: 0,
        proof: [],
        checkpoint: signNote(
          formatCheckpoint({ origin: 'example.com/other', size: 1, rootHash: mth(leaves(1)) }),
          [other],
        ),
      }),
    )
    expect(unknown.statusCode).toBe(404)

    // Malformed bodies: 400.
    for (const body of [
      '',
      'old x\n\nnote',
      `old 5\n${checkpointNote(5)}`,
      `old 05\n\n${checkpointNote(5)}`,
    ]) {
      const r = await post(body)
      expect(r.statusCode, body).toBe(400)
    }
    // The tampered note (a flipped root character) does not verify: 403.
    const note = checkpointNote(5)
    const lines = note.split('\n')
    lines[2] = `${(lines[2] as string).startsWith('A') ? 'B' : 'A'}${(lines[2] as string).slice(1)}`
    const tampered = await post(
      formatAddCheckpointRequest({ oldSize: 5, proof: [], checkpoint: lines.join('\n') }),
    )
    expect(tampered.statusCode).toBe(403)
  })

  it('cosigns the checkpoints a Selvedge log pushes over loopback, attached to what it serves', async () => {
    // The log under test, and a witness (a second Selvedge) that trusts its key.
    const logDir = await mkdtemp(join(tmpdir(), 'selvedge-witnessed-'))
    dirs.push(logDir)
    const bootstrap = await openSelvedge({ dataDir: logDir })
    const logVkey = await bootstrap.log.vkey()
    await bootstrap.close()

    const witnessHost = await tempSelvedge()
    const w = new WitnessService({
      store: witnessHost.store,
      keyRing: witnessHost.keyRing,
      clock: witnessHost.clock,
      name: 'witness.example/loopback',
      logVkeys: [logVkey],
    })
    const witnessApp = await createWitnessApi(w)
    const url = await witnessApp.listen({ port: 0, host: '127.0.0.1' })
    const witnessVkey = await w.vkey()
    const logged = await openSelvedge({
      dataDir: logDir,
      log: { batchIntervalMs: 10, witnesses: [{ url, vkey: witnessVkey }] },
    })
    try {
      await logged.log.append([{ type: 'test', studio: 's', time: 't', n: 1 }])
      await logged.log.witnessesIdle()
      await logged.log.append([
        { type: 'test', studio: 's', time: 't', n: 2 },
        { type: 'test', studio: 's', time: 't', n: 3 },
      ])
      await logged.log.witnessesIdle()
      expect([...logged.log.witnessErrors.values()]).toEqual([null])
      const checkpoint = await logged.log.checkpoint()
      expect(checkpoint.size).toBe(3)
      const cosigned = verifyCosignatures(checkpoint.note, [witnessVkey])
      expect(cosigned).toEqual([expect.objectContaining({ name: 'witness.example/loopback' })])
      const verdict = verifyProofFile({
        vkey: logVkey,
        proofFile: await logged.log.proof(2),
        entry: await logged.log.entry(2),
        witnessVkeys: [witnessVkey],
      })
      expect(verdict).toMatchObject({ ok: true, cosignatures: [expect.anything()] })
      // The witness recorded the log's latest size.
      expect(await witnessHost.store.witness.get('selvedge.local/log')).toMatchObject({ size: 3 })
    } finally {
      await logged.close()
      await witnessApp.close()
      await witnessHost.close()
    }
  })
})
