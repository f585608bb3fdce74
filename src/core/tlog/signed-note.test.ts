import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  formatVerifierKey,
  formatWitnessVerifierKey,
  noteKeyId,
  parseVerifierKey,
  witnessKeyId,
} from './note-key.js'
import { isValidNoteText } from './note-text.js'
import { openNote, signNote } from './signed-note.js'
import { fromBase64, signerFromSeed } from './test-support.js'

interface GoNote {
  peterVkey: string
  peterSkey: string
  enochVkey: string
  text: string
  peterSig: string
  enochSig: string
  badVkeys: string[]
}

interface C2spNote {
  signedNote: { vkey: string; note: string; text: string }
  quasimodoNote: string
}

const fixture = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/tlog/${name}`, import.meta.url), 'utf8'),
  ) as unknown
const go = fixture('go-sumdb-note.json') as GoNote
const c2sp = fixture('c2sp-examples.json') as C2spNote

// Go's skey is "PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)".
const peterSeed = fromBase64(go.peterSkey.split('+').slice(4).join('+')).subarray(1)
const peter = signerFromSeed('PeterNeumann', peterSeed)

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('verifier keys (C2SP signed-note)', () => {
  it('parses and re-formats the Go and C2SP vkeys', () => {
    for (const vkey of [go.peterVkey, go.enochVkey, c2sp.signedNote.vkey]) {
      const k = parseVerifierKey(vkey)
      expect(k.type).toBe(1)
      expect(k.publicKey).toHaveLength(32)
      expect(formatVerifierKey(k.name, k.publicKey)).toBe(vkey)
      expect(noteKeyId(k.name, 1, k.publicKey)).toBe(k.keyId)
    }
    expect(parseVerifierKey(go.peterVkey).keyId).toBe(0xc74f20a3)
    expect(formatVerifierKey(peter.name, peter.publicKey)).toBe(go.peterVkey)
  })

  it('rejects the Go bad keys and every substring and byte change (TestNewVerifier)', () => {
    for (const bad of go.badVkeys)
      expect(codeOf(() => parseVerifierKey(bad))).toBe('LOG_VKEY_INVALID')
    const vkey = go.peterVkey
    for (let i = 0; i <= vkey.length; i++) {
      for (let j = i + 1; j <= vkey.length; j++) {
        if (i === 0 && j === vkey.length) continue
        expect(codeOf(() => parseVerifierKey(vkey.slice(i, j)))).toBe('LOG_VKEY_INVALID')
      }
    }
    for (let i = 0; i < vkey.length; i++) {
      const changed =
        vkey.slice(0, i) + String.fromCharCode(vkey.charCodeAt(i) + 1) + vkey.slice(i + 1)
      expect(
        codeOf(() => parseVerifierKey(changed)),
        changed,
      ).toBe('LOG_VKEY_INVALID')
    }
    expect(codeOf(() => parseVerifierKey(vkey.toUpperCase()))).toBe('LOG_VKEY_INVALID')
    expect(codeOf(() => formatVerifierKey('a b', peter.publicKey))).toBe('LOG_VKEY_INVALID')
    expect(codeOf(() => formatVerifierKey('a+b', peter.publicKey))).toBe('LOG_VKEY_INVALID')
    expect(codeOf(() => formatVerifierKey('', peter.publicKey))).toBe('LOG_VKEY_INVALID')
    expect(codeOf(() => formatVerifierKey('a\u00a0b', peter.publicKey))).toBe('LOG_VKEY_INVALID')
    expect(codeOf(() => formatVerifierKey('x', new Uint8Array(31)))).toBe('LOG_VKEY_INVALID')
  })

  it('parses keys whose base64 holds a "+"', () => {
    for (let i = 0; i < 40; i++) {
      const s = signerFromSeed(`k${i}.example`, new Uint8Array(32).fill(i))
      const vkey = formatVerifierKey(s.name, s.publicKey)
      expect(parseVerifierKey(vkey).publicKey).toEqual(s.publicKey)
    }
  })

  it('gives witness keys type 0x04 and a different key ID', () => {
    const vkey = formatWitnessVerifierKey('witness.example/w1', peter.publicKey)
    const k = parseVerifierKey(vkey)
    expect(k.type).toBe(4)
    expect(k.keyId).toBe(witnessKeyId('witness.example/w1', peter.publicKey))
    expect(k.keyId).not.toBe(noteKeyId('witness.example/w1', 1, peter.publicKey))
  })
})

describe('signNote / openNote', () => {
  it('reproduces the Go TestSign signature byte for byte', () => {
    expect(signNote(go.text, [peter])).toBe(`${go.text}\n${go.peterSig}`)
  })

  it('verifies the C2SP signed-note example', () => {
    const opened = openNote(c2sp.signedNote.note, [c2sp.signedNote.vkey])
    expect(opened.text).toBe(c2sp.signedNote.text)
    expect(opened.verified).toEqual([
      { name: 'example.com/foo', keyId: parseVerifierKey(c2sp.signedNote.vkey).keyId },
    ])
  })

  it('splits the text at the last blank line (quasimodo example)', () => {
    const someKey = formatVerifierKey('other.example/k', peter.publicKey)
    expect(codeOf(() => openNote(c2sp.quasimodoNote, [someKey]))).toBe('LOG_SIGNATURE_INVALID')
  })

  it('follows Go TestOpen: one verified, one unknown', () => {
    const note = `${go.text}\n${go.peterSig}${go.enochSig}`
    const one = openNote(note, [go.peterVkey])
    expect(one.text).toBe(go.text)
    expect(one.verified).toEqual([{ name: 'PeterNeumann', keyId: 0xc74f20a3 }])
    expect(one.unverified).toEqual([{ name: 'EnochRoot', keyId: 0xaf0cfe78 }])
    const both = openNote(note, [go.peterVkey, go.enochVkey])
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot'])
    expect(both.unverified).toEqual([])
    expect(codeOf(() => openNote(note, []))).toBe('LOG_SIGNATURE_INVALID')
  })

  it('drops duplicate signatures and rejects a corrupt one by a known key', () => {
    const note = `${go.text}\n${go.peterSig}${go.peterSig}${go.enochSig}${go.enochSig}`
    const opened = openNote(note, [go.peterVkey])
    expect(opened.verified).toHaveLength(1)
    expect(opened.unverified).toHaveLength(1)
    const corrupt = `${go.peterSig.slice(0, 60)}ABCD${go.peterSig.slice(60)}`
    expect(codeOf(() => openNote(`${go.text}\n${corrupt}`, [go.peterVkey]))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
    expect(codeOf(() => openNote(`${go.text}\n${go.peterSig}${corrupt}`, [go.peterVkey]))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
  })

  it('rejects the Go malformed notes', () => {
    const bad = [
      go.text,
      `${go.text}\n`,
      `${go.text}\n${go.peterSig.slice(0, -1)}`,
      `\u0001${go.text}\n${go.peterSig}`,
      `\ud800${go.text}\n${go.peterSig}`,
      `${go.text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${go.text}\n${go.peterSig}Unexpected line.\n`,
      `${go.text}\n${go.peterSig.repeat(101)}`,
      `${go.text}\n— PeterNeumann AAAA\n`,
      `${go.text}\n— PeterNeumann x08go/ZJkuBS9UG\n`,
      `${go.text}\r\n${go.peterSig}`,
    ]
    for (const note of bad) {
      expect(
        codeOf(() => openNote(note, [go.peterVkey])),
        JSON.stringify(note),
      ).toBe('LOG_NOTE_INVALID')
    }
  })

  it('rejects a tampered text and a wrong key', () => {
    const note = signNote(go.text, [peter])
    expect(codeOf(() => openNote(note.replace('problem', 'problen'), [go.peterVkey]))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
    const other = signerFromSeed('PeterNeumann', new Uint8Array(32).fill(1))
    const impostor = formatVerifierKey('PeterNeumann', other.publicKey)
    expect(codeOf(() => openNote(note, [impostor]))).toBe('LOG_SIGNATURE_INVALID')
    expect(codeOf(() => openNote(note, ['not a key']))).toBe('LOG_VKEY_INVALID')
  })

  it('round-trips any valid text with several signers', () => {
    const s2 = signerFromSeed('example.com/second', new Uint8Array(32).fill(2))
    const line = fc
      .string({ unit: 'grapheme', maxLength: 20 })
      .filter((s) => isValidNoteText(s) && !s.includes('\n'))
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = `${lines.join('\n')}\n`
        const note = signNote(text, [peter, s2])
        const opened = openNote(note, [go.peterVkey, formatVerifierKey(s2.name, s2.publicKey)])
        expect(opened.text).toBe(text)
        expect(opened.verified).toHaveLength(2)
      }),
      { numRuns: 50 },
    )
  })

  it('refuses to sign bad text or with a bad signer', () => {
    expect(codeOf(() => signNote('no newline', [peter]))).toBe('LOG_NOTE_INVALID')
    expect(codeOf(() => signNote('tab\there\n', [peter]))).toBe('LOG_NOTE_INVALID')
    expect(codeOf(() => signNote('ok\n', []))).toBe('LOG_NOTE_INVALID')
    expect(codeOf(() => signNote('ok\n', [{ ...peter, name: 'bad name' }]))).toBe(
      'LOG_VKEY_INVALID',
    )
    expect(codeOf(() => signNote('ok\n', [{ ...peter, sign: () => new Uint8Array(10) }]))).toBe(
      'LOG_SIGNATURE_INVALID',
    )
  })
})
