import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint } from './checkpoint.js'
import { cosignCheckpoint, formatCosignatureLine, verifyCosignatures } from './cosignature.js'
import { cosignatureMessage } from './cosignature-message.js'
import { leafHash } from './hash.js'
import { formatVerifierKey, formatWitnessVerifierKey, witnessKeyId } from './note-key.js'
import { openNote, parseNote, signNote } from './signed-note.js'
import { signerFromSeed } from './test-support.js'

interface C2sp {
  checkpoint: { note: string }
  cosignature: { line: string; timestamp: number; message: string }
}

const c2sp = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/tlog/c2sp-examples.json', import.meta.url), 'utf8'),
) as C2sp

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

const log = signerFromSeed('example.com/log', new Uint8Array(32).fill(3))
const w1 = signerFromSeed('witness.example/w1', new Uint8Array(32).fill(4))
const w2 = signerFromSeed('witness.example/w2', new Uint8Array(32).fill(5))
const body = formatCheckpoint({ origin: log.name, size: 5, rootHash: leafHash(Uint8Array.of(1)) })
const logVkey = formatVerifierKey(log.name, log.publicKey)
const w1Vkey = formatWitnessVerifierKey(w1.name, w1.publicKey)
const w2Vkey = formatWitnessVerifierKey(w2.name, w2.publicKey)

describe('cosignatures (C2SP tlog-cosignature v1)', () => {
  it('builds the signed message of the spec example', () => {
    const { text } = parseNote(c2sp.checkpoint.note)
    const message = cosignatureMessage(text, c2sp.cosignature.timestamp)
    expect(new TextDecoder().decode(message)).toBe(c2sp.cosignature.message)
  })

  it('lays out the spec example line as key ID, u64 timestamp, signature', () => {
    const b64 = c2sp.cosignature.line.trim().split(' ')[2]!
    const bytes = Buffer.from(b64, 'base64')
    expect(bytes).toHaveLength(4 + 8 + 64)
    expect(Number(bytes.readBigUInt64BE(4))).toBe(c2sp.cosignature.timestamp)
    const line = formatCosignatureLine(
      'witness.example.com/w1',
      bytes.readUInt32BE(0),
      c2sp.cosignature.timestamp,
      bytes.subarray(12),
    )
    expect(line).toBe(c2sp.cosignature.line)
  })

  it('verifies cosignatures appended to a signed checkpoint', () => {
    const note =
      signNote(body, [log]) +
      cosignCheckpoint(body, w1, 1_700_000_000) +
      cosignCheckpoint(body, w2, 1_700_000_001)
    expect(verifyCosignatures(note, [w1Vkey, w2Vkey])).toEqual([
      { name: w1.name, keyId: witnessKeyId(w1.name, w1.publicKey), timestamp: 1_700_000_000 },
      { name: w2.name, keyId: witnessKeyId(w2.name, w2.publicKey), timestamp: 1_700_000_001 },
    ])
    expect(verifyCosignatures(note, [w2Vkey]).map((c) => c.name)).toEqual([w2.name])
    expect(verifyCosignatures(note, [])).toEqual([])
    // The log's signature is checked with openNote; cosignatures are unknown to it.
    const opened = openNote(note, [logVkey])
    expect(opened.unverified.map((s) => s.name)).toEqual([w1.name, w2.name])
    // openNote also verifies type-0x04 keys when given them.
    expect(openNote(note, [logVkey, w1Vkey]).verified).toHaveLength(2)
  })

  it('rejects a cosignature over a different checkpoint or time', () => {
    const other = formatCheckpoint({
      origin: log.name,
      size: 6,
      rootHash: leafHash(Uint8Array.of(1)),
    })
    const note = signNote(body, [log]) + cosignCheckpoint(other, w1, 1_700_000_000)
    expect(codeOf(() => verifyCosignatures(note, [w1Vkey]))).toBe('LOG_SIGNATURE_INVALID')
    const line = cosignCheckpoint(body, w1, 1_700_000_000)
    const bytes = Buffer.from(line.trim().split(' ')[2]!, 'base64')
    bytes[11] = (bytes[11] as number) ^ 1
    const forged = `— ${w1.name} ${bytes.toString('base64')}\n`
    expect(codeOf(() => verifyCosignatures(signNote(body, [log]) + forged, [w1Vkey]))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
  })

  it('rejects bad inputs', () => {
    expect(codeOf(() => verifyCosignatures(signNote(body, [log]), [logVkey]))).toBe(
      'LOG_VKEY_INVALID',
    )
    expect(codeOf(() => cosignatureMessage('no newline', 1))).toBe('LOG_CHECKPOINT_INVALID')
    expect(codeOf(() => cosignatureMessage(body, -1))).toBe('LOG_NOTE_INVALID')
    expect(codeOf(() => formatCosignatureLine('w', 1, 1, new Uint8Array(63)))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
    expect(codeOf(() => verifyCosignatures('junk', [w1Vkey]))).toBe('LOG_NOTE_INVALID')
  })
})
