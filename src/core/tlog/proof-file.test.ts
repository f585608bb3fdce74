import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint } from './checkpoint.js'
import { cosignCheckpoint } from './cosignature.js'
import { formatHashLines, parseHashLines } from './hash-lines.js'
import { proveConsistency, proveInclusion, treeHash } from './merkle-tree.js'
import { formatVerifierKey, formatWitnessVerifierKey } from './note-key.js'
import { formatProofFile, parseProofFile } from './proof-file.js'
import { signNote } from './signed-note.js'
import { flipBit, fromBase64, signerFromSeed, treeOfSize } from './test-support.js'
import { verifyProofFile } from './verify-proof-file.js'
import { formatAddCheckpointRequest, parseAddCheckpointRequest } from './witness-request.js'

interface C2sp {
  checkpoint: { note: string }
  addCheckpointRequest: string
  proofFileHead: { extraBase64: string; index: number; proof: string[]; text: string }
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

const log = signerFromSeed('selvedge.example/log', new Uint8Array(32).fill(7))
const vkey = formatVerifierKey(log.name, log.publicKey)
const tree = treeOfSize(100)
const entry = (i: number) => new TextEncoder().encode(`entry ${i}`)

function proofFileFor(index: number, size = 100, extraData?: Uint8Array): string {
  const body = formatCheckpoint({ origin: log.name, size, rootHash: treeHash(size, tree.read) })
  const checkpoint = signNote(body, [log])
  const proof = proveInclusion(size, index, tree.read)
  return formatProofFile(
    extraData === undefined
      ? { index, proof, checkpoint }
      : { index, proof, checkpoint, extraData },
  )
}

describe('tlog-proof files (C2SP tlog-proof)', () => {
  it('lays out the spec example', () => {
    const p = c2sp.proofFileHead
    const file = formatProofFile({
      index: p.index,
      proof: p.proof.map(fromBase64),
      checkpoint: c2sp.checkpoint.note,
      extraData: fromBase64(p.extraBase64),
    })
    expect(file).toBe(p.text + c2sp.checkpoint.note)
    const parsed = parseProofFile(file)
    expect(parsed.index).toBe(p.index)
    expect(parsed.proof).toEqual(p.proof.map(fromBase64))
    expect(parsed.extraData).toEqual(fromBase64(p.extraBase64))
    expect(parsed.checkpoint).toBe(c2sp.checkpoint.note)
  })

  it('round-trips without extra data and with an empty proof', () => {
    const one = treeOfSize(1)
    const body = formatCheckpoint({ origin: log.name, size: 1, rootHash: treeHash(1, one.read) })
    const checkpoint = signNote(body, [log])
    const file = formatProofFile({ index: 0, proof: [], checkpoint })
    expect(file).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${checkpoint}`)
    expect(parseProofFile(file)).toEqual({ index: 0, proof: [], checkpoint })
  })

  it('rejects malformed files', () => {
    const good = proofFileFor(5)
    const [head, rest] = [good.slice(0, good.indexOf('\n\n')), good.slice(good.indexOf('\n\n'))]
    const lines = head.split('\n')
    const bad = [
      '',
      good.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'),
      good.replace('index 5', 'index 05'),
      good.replace('index 5', 'index -5'),
      good.replace('index 5', 'index  5'),
      good.replace('index 5', 'Index 5'),
      good.replace('index 5\n', ''),
      `${lines[0]}\nextra \n${lines.slice(1).join('\n')}${rest}`,
      `${lines[0]}\nextra !!\n${lines.slice(1).join('\n')}${rest}`,
      `${lines.slice(0, 2).join('\n')}\nextra AAAA\n${lines.slice(2).join('\n')}${rest}`,
      `${head}\nnot base64${rest}`,
      `${head}\nAAAA${rest}`,
      `${head}`,
      `${head}\n\nnot a note`,
      good.slice(0, -1),
    ]
    for (const text of bad) {
      expect(
        codeOf(() => parseProofFile(text)),
        JSON.stringify(text.slice(0, 80)),
      ).toBe('LOG_PROOF_INVALID')
    }
    expect(
      codeOf(() =>
        formatProofFile({ index: 0, proof: [], checkpoint: 'x', extraData: Uint8Array.of(1) }),
      ),
    ).toBe('LOG_PROOF_INVALID')
    const checkpoint = signNote('a\n', [log])
    expect(
      codeOf(() =>
        formatProofFile({ index: 0, proof: [], checkpoint, extraData: new Uint8Array(0) }),
      ),
    ).toBe('LOG_PROOF_INVALID')
    expect(codeOf(() => formatProofFile({ index: -1, proof: [], checkpoint }))).toBe(
      'LOG_PROOF_INVALID',
    )
  })
})

describe('verifyProofFile', () => {
  it('accepts every entry of a real log', () => {
    for (let i = 0; i < 100; i += 7) {
      const r = verifyProofFile({
        vkey,
        proofFile: proofFileFor(i, 100, Uint8Array.of(1)),
        entry: entry(i),
      })
      expect(r).toMatchObject({ ok: true, index: i, size: 100, origin: log.name })
    }
    const r = verifyProofFile({ vkey, proofFile: proofFileFor(3), leafHash: tree.leaves[3]! })
    expect(r.ok).toBe(true)
  })

  it('reports witness cosignatures', () => {
    const w = signerFromSeed('witness.example/w', new Uint8Array(32).fill(8))
    const body = formatCheckpoint({
      origin: log.name,
      size: 100,
      rootHash: treeHash(100, tree.read),
    })
    const checkpoint = signNote(body, [log]) + cosignCheckpoint(body, w, 1_800_000_000)
    const proofFile = formatProofFile({
      index: 9,
      proof: proveInclusion(100, 9, tree.read),
      checkpoint,
    })
    const r = verifyProofFile({
      vkey,
      proofFile,
      entry: entry(9),
      witnessVkeys: [formatWitnessVerifierKey(w.name, w.publicKey)],
    })
    expect(r).toMatchObject({ ok: true })
    expect(r.ok && r.cosignatures.map((c) => c.timestamp)).toEqual([1_800_000_000])
  })

  it('says why it fails', () => {
    const file = proofFileFor(5)
    const other = signerFromSeed(log.name, new Uint8Array(32).fill(9))
    const otherOrigin = signerFromSeed('elsewhere.example/log', new Uint8Array(32).fill(7))
    const cases: [Parameters<typeof verifyProofFile>[0], string][] = [
      [{ vkey: 'junk', proofFile: file, entry: entry(5) }, 'LOG_VKEY_INVALID'],
      [{ vkey, proofFile: 'junk', entry: entry(5) }, 'LOG_PROOF_INVALID'],
      [{ vkey, proofFile: file }, 'LOG_PROOF_INVALID'],
      [{ vkey, proofFile: file, entry: entry(6) }, 'LOG_PROOF_INVALID'],
      [{ vkey, proofFile: file, entry: entry(5), leafHash: tree.leaves[6]! }, 'LOG_PROOF_INVALID'],
      [{ vkey, proofFile: file, leafHash: flipBit(tree.leaves[5]!, 3) }, 'LOG_PROOF_INVALID'],
      [{ vkey, proofFile: file, leafHash: new Uint8Array(3) }, 'LOG_PROOF_INVALID'],
      [
        { vkey: formatVerifierKey(other.name, other.publicKey), proofFile: file, entry: entry(5) },
        'LOG_SIGNATURE_INVALID',
      ],
      [
        {
          vkey: formatVerifierKey(otherOrigin.name, otherOrigin.publicKey),
          proofFile: file,
          entry: entry(5),
        },
        'LOG_SIGNATURE_INVALID',
      ],
      [
        { vkey, proofFile: file.replace('\n100\n', '\n101\n'), entry: entry(5) },
        'LOG_SIGNATURE_INVALID',
      ],
      [
        { vkey, proofFile: file.replace('index 5', 'index 4'), entry: entry(4) },
        'LOG_PROOF_INVALID',
      ],
      [
        { vkey, proofFile: file.replace('index 5', 'index 100'), entry: entry(5) },
        'LOG_INDEX_OUT_OF_RANGE',
      ],
    ]
    for (const [input, code] of cases) {
      const r = verifyProofFile(input)
      expect(r.ok ? 'ok' : r.code, JSON.stringify(input.proofFile.slice(0, 40))).toBe(code)
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0)
    }
  })

  it('requires the origin to equal the key name', () => {
    const body = formatCheckpoint({
      origin: 'another.origin',
      size: 100,
      rootHash: treeHash(100, tree.read),
    })
    const checkpoint = signNote(body, [log])
    const proofFile = formatProofFile({
      index: 1,
      proof: proveInclusion(100, 1, tree.read),
      checkpoint,
    })
    const r = verifyProofFile({ vkey, proofFile, entry: entry(1) })
    expect(r.ok ? 'ok' : r.code).toBe('LOG_CHECKPOINT_INVALID')
  })
})

describe('hash lines and add-checkpoint bodies (C2SP tlog-witness)', () => {
  it('round-trips hash lines', () => {
    const proof = proveConsistency(100, 37, tree.read)
    expect(parseHashLines(formatHashLines(proof))).toEqual(proof)
    expect(parseHashLines('')).toEqual([])
    expect(codeOf(() => parseHashLines('AAAA\n'))).toBe('LOG_PROOF_INVALID')
    expect(codeOf(() => parseHashLines(formatHashLines(proof).slice(0, -1)))).toBe(
      'LOG_PROOF_INVALID',
    )
  })

  it('parses the spec example request', () => {
    const r = parseAddCheckpointRequest(c2sp.addCheckpointRequest)
    expect(r.oldSize).toBe(20852014)
    expect(r.proof).toHaveLength(4)
    expect(r.checkpoint.startsWith('example.com/behind-the-sofa\n20852163\n')).toBe(true)
    expect(formatAddCheckpointRequest(r)).toBe(c2sp.addCheckpointRequest)
  })

  it('rejects malformed requests', () => {
    const note = c2sp.checkpoint.note
    const h = `${'A'.repeat(43)}=\n`
    for (const body of [
      `old 1\n\n`,
      `old 01\n\n${note}`,
      `old\n\n${note}`,
      `new 1\n\n${note}`,
      `old 1\nAAAA\n\n${note}`,
      `old 1\n${h.repeat(64)}\n${note}`,
      `old 1\n${note}`,
    ]) {
      expect(
        codeOf(() => parseAddCheckpointRequest(body)),
        body.slice(0, 30),
      ).toMatch(/LOG_PROOF_INVALID|LOG_NOTE_INVALID/)
    }
    expect(parseAddCheckpointRequest(`old 0\n\n${note}`).proof).toEqual([])
  })
})
