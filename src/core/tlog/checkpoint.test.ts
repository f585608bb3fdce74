import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js'
import { leafHash } from './hash.js'
import { isValidNoteText } from './note-text.js'
import { parseNote } from './signed-note.js'
import { fromBase64 } from './test-support.js'

interface C2sp {
  checkpoint: { note: string; origin: string; size: number; rootHash: string }
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

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('parses and re-formats the spec example', () => {
    const { text } = parseNote(c2sp.checkpoint.note)
    const c = parseCheckpoint(text)
    expect(c.origin).toBe(c2sp.checkpoint.origin)
    expect(c.size).toBe(c2sp.checkpoint.size)
    expect(c.rootHash).toEqual(fromBase64(c2sp.checkpoint.rootHash))
    expect(c.extensions).toEqual([])
    expect(formatCheckpoint(c)).toBe(text)
  })

  it('formats extension lines', () => {
    const rootHash = leafHash(Uint8Array.of())
    const body = formatCheckpoint({ origin: 'o', size: 0, rootHash, extensions: ['a b', 'c'] })
    expect(body.split('\n')).toHaveLength(6)
    expect(parseCheckpoint(body).extensions).toEqual(['a b', 'c'])
  })

  it('round-trips', () => {
    const line = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((s) => isValidNoteText(s) && !s.includes('\n'))
    fc.assert(
      fc.property(
        line,
        fc.integer({ min: 0, max: 2 ** 52 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const c = parseCheckpoint(formatCheckpoint({ origin, size, rootHash, extensions }))
          expect(c).toEqual({ origin, size, rootHash, extensions })
        },
      ),
    )
  })

  it('rejects malformed bodies', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='
    const bad = [
      '',
      `o\n1\n${root}`,
      `o\n1\n`,
      `\n1\n${root}\n`,
      `o\n01\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n+1\n${root}\n`,
      `o\n1.0\n${root}\n`,
      `o\n 1\n${root}\n`,
      `o\n${2 ** 53}\n${root}\n`,
      `o\n1\n${root.slice(0, -1)}\n`,
      `o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n`,
      `o\n1\n${root}AAAA\n`,
      `o\n1\n${root}\n\n`,
      `o\n1\n${root}\next\n\n`,
      `o\n1\n${root}\n\text\n`,
    ]
    for (const text of bad) {
      expect(
        codeOf(() => parseCheckpoint(text)),
        JSON.stringify(text),
      ).toBe('LOG_CHECKPOINT_INVALID')
    }
    const rootHash = fromBase64(root)
    expect(codeOf(() => formatCheckpoint({ origin: '', size: 1, rootHash }))).toBe(
      'LOG_CHECKPOINT_INVALID',
    )
    expect(codeOf(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash }))).toBe(
      'LOG_CHECKPOINT_INVALID',
    )
    expect(codeOf(() => formatCheckpoint({ origin: 'o', size: -1, rootHash }))).toBe(
      'LOG_CHECKPOINT_INVALID',
    )
    expect(
      codeOf(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: rootHash.subarray(1) })),
    ).toBe('LOG_CHECKPOINT_INVALID')
    expect(
      codeOf(() => formatCheckpoint({ origin: 'o', size: 1, rootHash, extensions: [''] })),
    ).toBe('LOG_CHECKPOINT_INVALID')
  })
})
