import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { compact, readPdf } from '../../../test/support/pdf-text.js'
import { type PdfBlock, renderPdf, toWinAnsi } from './pdf-document.js'

const CREATED = '2026-03-01T09:30:00.000Z'
const META = { title: 'Invoice 42', author: 'Atelier Nord', createdAt: CREATED }

const png = await sharp({
  create: { width: 60, height: 40, channels: 3, background: { r: 31, g: 58, b: 95 } },
})
  .png()
  .toBuffer()
const jpeg = await sharp({
  create: { width: 30, height: 50, channels: 3, background: { r: 200, g: 90, b: 40 } },
})
  .jpeg()
  .toBuffer()

describe('toWinAnsi', () => {
  it('keeps Windows-1252 text and replaces what the standard fonts cannot set', () => {
    expect(toWinAnsi('Café “quoted” – € 5 · naïve Œuvre ™')).toBe(
      'Café “quoted” – € 5 · naïve Œuvre ™',
    )
    expect(toWinAnsi('a → b ≤ c ≥ d')).toBe('a -> b <= c >= d')
    expect(toWinAnsi('Łódź Dvořák Ærø')).toBe('Lódz Dvorák Ærø')
    expect(toWinAnsi('x\u200by\u0007z\tw')).toBe('xyz w')
    expect(toWinAnsi('龍 😀')).toBe('? ?')
    expect(toWinAnsi('one\r\ntwo')).toBe('one\ntwo')
  })
})

describe('renderPdf', () => {
  it('writes the metadata, headings, paragraphs, lists and page numbers', async () => {
    const bytes = await renderPdf({
      metadata: { ...META, subject: 'Royalties', keywords: ['q1', 'royalty'] },
      footer: 'Selvedge · test',
      blocks: [
        { kind: 'heading', text: 'Royalty statement' },
        { kind: 'paragraph', text: 'A notice in a box.', boxed: true },
        { kind: 'list', items: ['first item', 'second item'] },
        { kind: 'pageBreak' },
        { kind: 'heading', text: 'Second page → ≤ 龍', level: 2 },
        { kind: 'rule' },
        { kind: 'spacer', heightPt: 20 },
        { kind: 'paragraph', text: 'line one\nline two', style: 'mono' },
      ],
    })
    expect(Buffer.from(bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pdf = await readPdf(bytes)
    expect(pdf.doc.getPageCount()).toBe(2)
    expect(pdf.doc.getTitle()).toBe('Invoice 42')
    expect(pdf.doc.getAuthor()).toBe('Atelier Nord')
    expect(pdf.doc.getSubject()).toBe('Royalties')
    expect(pdf.doc.getKeywords()).toBe('q1 royalty')
    expect(pdf.doc.getCreator()).toBe('Selvedge')
    expect(pdf.doc.getCreationDate()?.toISOString()).toBe(CREATED)
    expect(pdf.doc.getModificationDate()?.toISOString()).toBe(CREATED)
    expect(pdf.pages[0]).toContain('Royalty statement')
    expect(pdf.pages[0]).toContain('A notice in a box.')
    expect(pdf.pages[0]).toContain('second item')
    expect(pdf.pages[0]).toContain('Page 1 of 2')
    expect(pdf.pages[0]).toContain('Selvedge · test')
    expect(pdf.pages[1]).toContain('Second page -> <= ?')
    expect(pdf.pages[1]).toContain('line one line two')
    expect(pdf.pages[1]).toContain('Page 2 of 2')
  })

  it('wraps long text, breaks words longer than a line, and flows onto new pages', async () => {
    const word = 'selvedge '
    const hash = 'ab'.repeat(64)
    const bytes = await renderPdf({
      metadata: META,
      blocks: [
        { kind: 'paragraph', text: word.repeat(3000) },
        { kind: 'paragraph', text: hash, style: 'mono' },
      ],
    })
    const pdf = await readPdf(bytes)
    expect(pdf.doc.getPageCount()).toBeGreaterThan(3)
    const count = pdf.text.split('selvedge').length - 1
    expect(count).toBeGreaterThanOrEqual(3000)
    expect(compact(pdf.text)).toContain(hash)
  })

  it('lays out tables with aligned columns, repeating the header after a page break', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [
      `line ${i + 1}`,
      `Pattern ${i + 1} printed on cotton`,
      `${(i + 1) * 3}.00`,
    ])
    const blocks: PdfBlock[] = [
      {
        kind: 'table',
        columns: [
          { header: 'Line', weight: 1 },
          { header: 'Description', weight: 4, style: 'body' },
          { header: 'Amount (EUR)', weight: 1.5, align: 'right', style: 'mono' },
        ],
        rows,
      },
      // One row taller than a page is split across pages.
      {
        kind: 'table',
        header: false,
        columns: [
          { header: 'k', weight: 1 },
          { header: 'v', weight: 3 },
        ],
        rows: [['tall', 'word '.repeat(4000)]],
      },
    ]
    const pdf = await readPdf(await renderPdf({ metadata: META, blocks }))
    const pages = pdf.doc.getPageCount()
    expect(pages).toBeGreaterThan(3)
    expect(pdf.text).toContain('line 1 Pattern 1 printed on cotton 3.00')
    expect(pdf.text).toContain('line 120 Pattern 120 printed on cotton 360.00')
    const headerPages = pdf.pages.filter((p) => p.includes('Description Amount (EUR)')).length
    expect(headerPages).toBeGreaterThanOrEqual(2)
    expect(pdf.text.split('word').length - 1).toBe(4000)
  })

  it('embeds PNG and JPEG images once per bytes object, with captions', async () => {
    const bytes = await renderPdf({
      metadata: META,
      blocks: [
        {
          kind: 'images',
          images: [
            { bytes: png, format: 'png', caption: 'Before' },
            { bytes: jpeg, format: 'jpeg', caption: 'After' },
          ],
        },
        { kind: 'images', images: [{ bytes: png, format: 'png', caption: 'Again' }] },
      ],
    })
    const pdf = await readPdf(bytes)
    expect(pdf.imageCount).toBe(2)
    expect(pdf.text).toContain('Before')
    expect(pdf.text).toContain('Again')
  })

  it('refuses a bad creation date and image bytes that are not what they claim', async () => {
    await expect(
      renderPdf({ metadata: { ...META, createdAt: 'yesterday' }, blocks: [] }),
    ).rejects.toThrow(RangeError)
    await expect(
      renderPdf({
        metadata: META,
        blocks: [{ kind: 'images', images: [{ bytes: png, format: 'jpeg' }] }],
      }),
    ).rejects.toThrow('not a readable JPEG')
  })
})
