import {
  type Color,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  PDFDocument as PdfLibDocument,
  rgb,
  StandardFonts,
} from 'pdf-lib'

/** Page sizes in points (1/72 inch), portrait. */
export const PDF_PAGE_SIZES = {
  a4: [595.28, 841.89],
  letter: [612, 792],
} as const satisfies Record<string, readonly [number, number]>

/** A page size by name. */
export type PdfPageSize = keyof typeof PDF_PAGE_SIZES

/**
 * How a run of text is set: `body` (Helvetica 10), `bold`, `italic`, `small` (Helvetica 8),
 * `mono` (Courier 9, for hashes and ids) and `smallMono` (Courier 7).
 */
export type PdfTextStyle = 'body' | 'bold' | 'italic' | 'small' | 'mono' | 'smallMono'

/** A table column: its header, its share of the width (relative weight) and how it is set. */
export interface PdfColumn {
  readonly header: string
  /** Relative width: columns share the text width in proportion to their weights. */
  readonly weight: number
  /** `right` for amounts; default `left`. */
  readonly align?: 'left' | 'right'
  /** Default `small`. */
  readonly style?: PdfTextStyle
}

/** A PNG or JPEG image to place, with an optional caption under it. */
export interface PdfImage {
  /**
   * The encoded file. The same `Uint8Array` object given twice (in one document) is embedded
   * once and drawn twice.
   */
  readonly bytes: Uint8Array
  readonly format: 'png' | 'jpeg'
  readonly caption?: string
}

/**
 * One block of a document, laid out top to bottom. Text is wrapped to the text width; words
 * longer than a line (hashes) are broken. Blocks that do not fit move to a new page; a table
 * splits between rows (and inside a row taller than a page), repeating its header row.
 */
export type PdfBlock =
  | {
      readonly kind: 'heading'
      readonly text: string
      /** 1 (largest) to 3; default 1. */
      readonly level?: 1 | 2 | 3
    }
  | {
      readonly kind: 'paragraph'
      /** `\n` starts a new line. */
      readonly text: string
      readonly style?: PdfTextStyle
      /** Draws the paragraph in a shaded, ruled box (notices, disclaimers). */
      readonly boxed?: boolean
    }
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly style?: PdfTextStyle }
  | {
      readonly kind: 'table'
      readonly columns: readonly PdfColumn[]
      /** One string per column; missing cells are empty. */
      readonly rows: readonly (readonly string[])[]
      /** Draws the header row (and repeats it after a page break); default true. */
      readonly header?: boolean
    }
  | {
      readonly kind: 'images'
      /** Placed side by side in one row, each scaled to fit its share of the width. */
      readonly images: readonly PdfImage[]
      /** Default 140 pt. */
      readonly maxHeightPt?: number
    }
  | { readonly kind: 'spacer'; readonly heightPt: number }
  | { readonly kind: 'rule' }
  | { readonly kind: 'pageBreak' }

/** The document information dictionary. `Creator` is always `Selvedge`. */
export interface PdfMetadata {
  readonly title: string
  readonly author: string
  readonly subject?: string
  readonly keywords?: readonly string[]
  /** ISO 8601; from the Clock port, so that the app never reads the system clock. */
  readonly createdAt: string
  /** Default `en`. */
  readonly language?: string
}

/** A whole document: metadata, blocks and the running footer. */
export interface PdfDocumentSpec {
  readonly metadata: PdfMetadata
  readonly blocks: readonly PdfBlock[]
  /** Default `a4`. */
  readonly pageSize?: PdfPageSize
  /** Left-hand footer text on every page; the right-hand side carries `Page N of M`. */
  readonly footer?: string
}

/** The PDF `Creator` of every document Selvedge renders. */
export const PDF_CREATOR = 'Selvedge'

// Code points the standard 14 fonts can set (Windows-1252, PDF 32000-1 Annex D.2): printable
// ASCII, Latin-1 from U+00A0, and the 27 letters and marks 1252 puts in 0x80–0x9F.
const WIN_ANSI = new Set<number>([
  ...range(0x20, 0x7e),
  ...range(0xa0, 0xff),
  ...[...'ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™'].map((c) => c.codePointAt(0) as number),
])

const SUBSTITUTES: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2190': '<-',
  '\u2192': '->',
  '\u2194': '<->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u2717': 'x',
  '\u0131': 'i',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0127': 'h',
  '\u2022': '•',
  '\u2026': '…',
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

/**
 * Makes text settable in the standard Helvetica and Courier fonts (WinAnsi): keeps what
 * Windows-1252 holds, maps common symbols (arrows, ≤, ≥, dashes, ł) to ASCII look-alikes,
 * drops accents it cannot keep (ő → o), turns tabs and other whitespace into spaces, removes
 * control and zero-width characters, and replaces anything else with `?`. Line breaks (`\n`)
 * stay. Total: never throws.
 */
export function toWinAnsi(text: string): string {
  let out = ''
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0) as number
    if (ch === '\n' || WIN_ANSI.has(cp)) {
      out += ch
      continue
    }
    const sub = SUBSTITUTES[ch]
    if (sub !== undefined) {
      out += sub
      continue
    }
    if (/\s/u.test(ch)) {
      out += ' '
      continue
    }
    // Controls, zero-width marks, joiners and variation selectors carry no glyph.
    if (/[\p{Cc}\p{Cf}\p{Mn}]/u.test(ch)) continue
    const base = ch.normalize('NFKD').replace(/\p{Mn}/gu, '')
    out +=
      base.length > 0 && [...base].every((c) => WIN_ANSI.has(c.codePointAt(0) as number))
        ? base
        : '?'
  }
  return out
}

const MARGIN_X = 50
const MARGIN_TOP = 56
const MARGIN_BOTTOM = 64
const FOOTER_Y = 32
const CELL_PAD = 3
const GAP = 8
const INK = rgb(0.1, 0.1, 0.12)
const HEADING_INK = rgb(0.08, 0.16, 0.32)
const MUTED = rgb(0.38, 0.38, 0.42)
const LINE = rgb(0.72, 0.72, 0.76)
const SHADE = rgb(0.93, 0.94, 0.96)

interface Fonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
  readonly italic: PDFFont
  readonly mono: PDFFont
}

interface TextSet {
  readonly font: PDFFont
  readonly size: number
  readonly leading: number
}

/**
 * Renders a document to PDF bytes in memory with pdf-lib and the standard fonts (no font files,
 * no I/O). Metadata: title (shown in the viewer's title bar), author, subject, keywords,
 * creator `Selvedge`, producer `Selvedge (pdf-lib)`, creation and modification dates from
 * `metadata.createdAt`. Objects are written without object streams, so text streams and the
 * information dictionary can be read by simple tools. Throws `RangeError` for an invalid
 * `createdAt` and `Error` (with the cause) for image bytes that are not the PNG or JPEG they
 * claim to be.
 */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  const createdAt = new Date(spec.metadata.createdAt)
  if (Number.isNaN(createdAt.getTime())) {
    throw new RangeError(`createdAt ${JSON.stringify(spec.metadata.createdAt)} is not a date`)
  }
  const doc = await PdfLibDocument.create({ updateMetadata: false })
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    italic: await doc.embedFont(StandardFonts.HelveticaOblique),
    mono: await doc.embedFont(StandardFonts.Courier),
  }
  const layout = new Layout(doc, fonts, PDF_PAGE_SIZES[spec.pageSize ?? 'a4'])
  for (const block of spec.blocks) await layout.block(block)
  layout.finish(spec.footer === undefined ? '' : toWinAnsi(spec.footer))

  const m = spec.metadata
  doc.setTitle(toWinAnsi(m.title), { showInWindowTitleBar: true })
  doc.setAuthor(toWinAnsi(m.author))
  if (m.subject !== undefined) doc.setSubject(toWinAnsi(m.subject))
  if (m.keywords !== undefined) doc.setKeywords(m.keywords.map(toWinAnsi))
  doc.setCreator(PDF_CREATOR)
  doc.setProducer(`${PDF_CREATOR} (pdf-lib)`)
  doc.setCreationDate(createdAt)
  doc.setModificationDate(createdAt)
  doc.setLanguage(m.language ?? 'en')
  return doc.save({ useObjectStreams: false })
}

/** The page cursor: where the next line goes, and the pages made so far. */
class Layout {
  private page: PDFPage
  private y: number
  private readonly pages: PDFPage[] = []
  private readonly images = new Map<Uint8Array, PDFImage>()
  private readonly width: number
  private readonly height: number

  constructor(
    private readonly doc: PdfLibDocument,
    private readonly fonts: Fonts,
    size: readonly [number, number],
  ) {
    ;[this.width, this.height] = size
    this.page = this.newPage()
    this.y = this.top
  }

  private get top(): number {
    return this.height - MARGIN_TOP
  }

  private get textWidth(): number {
    return this.width - 2 * MARGIN_X
  }

  private newPage(): PDFPage {
    const page = this.doc.addPage([this.width, this.height])
    this.pages.push(page)
    this.page = page
    this.y = this.height - MARGIN_TOP
    return page
  }

  private isAtTop(): boolean {
    return this.y >= this.top - 0.5
  }

  /** Starts a new page unless `heightPt` still fits above the bottom margin (or the page is empty). */
  private ensure(heightPt: number): void {
    if (this.y - heightPt < MARGIN_BOTTOM && !this.isAtTop()) this.newPage()
  }

  private set(style: PdfTextStyle): TextSet {
    switch (style) {
      case 'body':
        return { font: this.fonts.regular, size: 10, leading: 13 }
      case 'bold':
        return { font: this.fonts.bold, size: 10, leading: 13 }
      case 'italic':
        return { font: this.fonts.italic, size: 10, leading: 13 }
      case 'small':
        return { font: this.fonts.regular, size: 8, leading: 10.4 }
      case 'mono':
        return { font: this.fonts.mono, size: 9, leading: 11.5 }
      case 'smallMono':
        return { font: this.fonts.mono, size: 7, leading: 9.2 }
    }
  }

  async block(block: PdfBlock): Promise<void> {
    switch (block.kind) {
      case 'heading':
        return this.heading(block.text, block.level ?? 1)
      case 'paragraph':
        return this.paragraph(block.text, this.set(block.style ?? 'body'), block.boxed === true)
      case 'list':
        return this.list(block.items, this.set(block.style ?? 'body'))
      case 'table':
        return this.table(block.columns, block.rows, block.header !== false)
      case 'images':
        return this.imageRow(block.images, block.maxHeightPt ?? 140)
      case 'spacer':
        this.y -= block.heightPt
        if (this.y < MARGIN_BOTTOM) this.newPage()
        return
      case 'rule':
        this.ensure(GAP)
        this.page.drawLine({
          start: { x: MARGIN_X, y: this.y - GAP / 2 },
          end: { x: this.width - MARGIN_X, y: this.y - GAP / 2 },
          thickness: 0.5,
          color: LINE,
        })
        this.y -= GAP
        return
      case 'pageBreak':
        if (!this.isAtTop()) this.newPage()
        return
    }
  }

  private heading(text: string, level: 1 | 2 | 3): void {
    const size = level === 1 ? 17 : level === 2 ? 13 : 11
    const set = { font: this.fonts.bold, size, leading: size * 1.25 }
    const lines = wrap(toWinAnsi(text), set, this.textWidth)
    const before = this.isAtTop() ? 0 : level === 1 ? 14 : 10
    // Keep a heading with at least three lines of what follows it.
    this.ensure(before + lines.length * set.leading + 40)
    if (!this.isAtTop()) this.y -= before
    this.lines(lines, set, MARGIN_X, HEADING_INK)
    this.y -= 4
  }

  private paragraph(text: string, set: TextSet, boxed: boolean): void {
    const inset = boxed ? 6 : 0
    const lines = wrap(toWinAnsi(text), set, this.textWidth - 2 * inset)
    let rest = lines
    while (rest.length > 0) {
      this.ensure(set.leading + 2 * inset)
      const fit = Math.max(1, Math.floor((this.y - MARGIN_BOTTOM - 2 * inset) / set.leading))
      const chunk = rest.slice(0, fit)
      rest = rest.slice(fit)
      if (boxed) {
        const h = chunk.length * set.leading + 2 * inset
        this.page.drawRectangle({
          x: MARGIN_X,
          y: this.y - h,
          width: this.textWidth,
          height: h,
          color: SHADE,
          borderColor: LINE,
          borderWidth: 0.75,
        })
        this.y -= inset
      }
      this.lines(chunk, set, MARGIN_X + inset, INK)
      if (boxed) this.y -= inset
      if (rest.length > 0) this.newPage()
    }
    this.y -= 6
  }

  private list(items: readonly string[], set: TextSet): void {
    const indent = 12
    for (const item of items) {
      const lines = wrap(toWinAnsi(item), set, this.textWidth - indent)
      this.ensure(set.leading)
      this.page.drawText('•', {
        x: MARGIN_X + 2,
        y: this.y - set.size,
        size: set.size,
        font: set.font,
        color: INK,
      })
      for (const line of lines) {
        this.ensure(set.leading)
        this.lines([line], set, MARGIN_X + indent, INK)
      }
      this.y -= 2
    }
    this.y -= 4
  }

  /** Draws lines top-down from the cursor; the caller has made room. */
  private lines(lines: readonly string[], set: TextSet, x: number, color: Color): void {
    for (const line of lines) {
      // The baseline sits one font size below the top of the line box.
      this.page.drawText(line, { x, y: this.y - set.size, size: set.size, font: set.font, color })
      this.y -= set.leading
    }
  }

  private table(
    columns: readonly PdfColumn[],
    rows: readonly (readonly string[])[],
    hasHeader: boolean,
  ): void {
    if (columns.length === 0) return
    const weights = columns.map((c) => (Number.isFinite(c.weight) && c.weight > 0 ? c.weight : 1))
    const total = weights.reduce((a, b) => a + b, 0)
    const widths = weights.map((w) => (this.textWidth * w) / total)
    const xs = widths.map((_, i) => MARGIN_X + widths.slice(0, i).reduce((a, b) => a + b, 0))
    const cellWidth = (i: number) => (widths[i] as number) - 2 * CELL_PAD
    const headerSet: TextSet = { font: this.fonts.bold, size: 8, leading: 10.4 }
    const headerSets = columns.map(() => headerSet)
    const headerCells = columns.map((c, i) => wrap(toWinAnsi(c.header), headerSet, cellWidth(i)))
    const headerHeight = hasHeader
      ? Math.max(1, ...headerCells.map((l) => l.length)) * headerSet.leading + 2 * CELL_PAD
      : 0
    const sets = columns.map((c) => this.set(c.style ?? 'small'))

    const startPage = () => {
      this.hline()
      if (!hasHeader) return
      this.page.drawRectangle({
        x: MARGIN_X,
        y: this.y - headerHeight,
        width: this.textWidth,
        height: headerHeight,
        color: SHADE,
      })
      this.drawCells(headerCells, columns, xs, widths, headerSets)
      this.vlines(xs, widths, headerHeight)
      this.y -= headerHeight
      this.hline()
    }

    const wrapped = rows.map((row) =>
      columns.map((_, i) => wrap(toWinAnsi(row[i] ?? ''), sets[i] as TextSet, cellWidth(i))),
    )
    const heightOf = (cells: readonly (readonly string[])[]) =>
      Math.max(...cells.map((l, i) => l.length * (sets[i] as TextSet).leading)) + 2 * CELL_PAD
    // Keep the header with the first row (or a good part of it, when the row is very tall).
    const first = wrapped[0]
    this.ensure(headerHeight + Math.min(first === undefined ? 0 : heightOf(first), 120))
    startPage()
    const firstRowY = () => this.top - headerHeight
    for (const cells of wrapped) {
      const rowHeight = heightOf(cells)
      if (this.y - rowHeight < MARGIN_BOTTOM && this.y < firstRowY() - 0.5) {
        this.newPage()
        startPage()
      }
      // A row taller than the room left is drawn in slices, each cell continuing on the next page.
      const done = columns.map(() => 0)
      for (;;) {
        const room = this.y - MARGIN_BOTTOM - 2 * CELL_PAD
        const slice = cells.map((lines, i) => {
          const fit = Math.max(1, Math.floor(room / (sets[i] as TextSet).leading))
          return lines.slice(done[i], (done[i] as number) + fit)
        })
        const sliceHeight =
          Math.max(...slice.map((l, i) => l.length * (sets[i] as TextSet).leading)) + 2 * CELL_PAD
        this.drawCells(slice, columns, xs, widths, sets)
        this.vlines(xs, widths, sliceHeight)
        this.y -= sliceHeight
        this.hline()
        for (const [i, l] of slice.entries()) done[i] = (done[i] as number) + l.length
        if (cells.every((l, i) => (done[i] as number) >= l.length)) break
        this.newPage()
        startPage()
      }
    }
    this.y -= 8
  }

  /** Draws each column's lines from the cursor down, inside the cell padding. */
  private drawCells(
    cells: readonly (readonly string[])[],
    columns: readonly PdfColumn[],
    xs: readonly number[],
    widths: readonly number[],
    sets: readonly TextSet[],
  ): void {
    for (const [i, lines] of cells.entries()) {
      const set = sets[i] as TextSet
      let y = this.y - CELL_PAD
      for (const line of lines) {
        const x =
          columns[i]?.align === 'right'
            ? (xs[i] as number) +
              (widths[i] as number) -
              CELL_PAD -
              set.font.widthOfTextAtSize(line, set.size)
            : (xs[i] as number) + CELL_PAD
        this.page.drawText(line, { x, y: y - set.size, size: set.size, font: set.font, color: INK })
        y -= set.leading
      }
    }
  }

  private hline(): void {
    this.page.drawLine({
      start: { x: MARGIN_X, y: this.y },
      end: { x: this.width - MARGIN_X, y: this.y },
      thickness: 0.5,
      color: LINE,
    })
  }

  private vlines(xs: readonly number[], widths: readonly number[], height: number): void {
    const edges = [...xs, (xs[xs.length - 1] as number) + (widths[widths.length - 1] as number)]
    for (const x of edges) {
      this.page.drawLine({
        start: { x, y: this.y },
        end: { x, y: this.y - height },
        thickness: 0.5,
        color: LINE,
      })
    }
  }

  private async embed(image: PdfImage): Promise<PDFImage> {
    const known = this.images.get(image.bytes)
    if (known !== undefined) return known
    let embedded: PDFImage
    try {
      embedded =
        image.format === 'png'
          ? await this.doc.embedPng(image.bytes)
          : await this.doc.embedJpg(image.bytes)
    } catch (cause) {
      throw new Error(`an image is not a readable ${image.format.toUpperCase()} file`, { cause })
    }
    this.images.set(image.bytes, embedded)
    return embedded
  }

  private async imageRow(images: readonly PdfImage[], maxHeightPt: number): Promise<void> {
    if (images.length === 0) return
    const embedded = await Promise.all(images.map((i) => this.embed(i)))
    const slot = (this.textWidth - GAP * (images.length - 1)) / images.length
    const captionSet = this.set('small')
    const maxHeight = Math.min(maxHeightPt, this.top - MARGIN_BOTTOM - 4 * captionSet.leading)
    const boxes = embedded.map((img) => {
      const scale = Math.min(slot / img.width, maxHeight / img.height, 1)
      return { width: img.width * scale, height: img.height * scale }
    })
    const captions = images.map((i) =>
      i.caption === undefined ? [] : wrap(toWinAnsi(i.caption), captionSet, slot),
    )
    const imageHeight = Math.max(...boxes.map((b) => b.height))
    const captionHeight = Math.max(...captions.map((c) => c.length)) * captionSet.leading
    this.ensure(imageHeight + captionHeight + 4)
    for (const [i, img] of embedded.entries()) {
      const box = boxes[i] as { width: number; height: number }
      const x = MARGIN_X + i * (slot + GAP)
      this.page.drawImage(img, {
        x,
        y: this.y - imageHeight + (imageHeight - box.height),
        width: box.width,
        height: box.height,
      })
      this.page.drawRectangle({
        x,
        y: this.y - imageHeight + (imageHeight - box.height),
        width: box.width,
        height: box.height,
        borderColor: LINE,
        borderWidth: 0.5,
      })
      let y = this.y - imageHeight - 2
      for (const line of captions[i] ?? []) {
        this.page.drawText(line, {
          x,
          y: y - captionSet.size,
          size: captionSet.size,
          font: captionSet.font,
          color: MUTED,
        })
        y -= captionSet.leading
      }
    }
    this.y -= imageHeight + captionHeight + 2 + GAP
  }

  /** Writes the footer and `Page N of M` on every page. */
  finish(footer: string): void {
    const set = this.set('small')
    const count = this.pages.length
    for (const [i, page] of this.pages.entries()) {
      const label = `Page ${i + 1} of ${count}`
      const w = set.font.widthOfTextAtSize(label, set.size)
      page.drawText(label, {
        x: this.width - MARGIN_X - w,
        y: FOOTER_Y,
        size: set.size,
        font: set.font,
        color: MUTED,
      })
      if (footer !== '') {
        const [line = ''] = wrap(footer, set, this.textWidth - w - GAP)
        page.drawText(line, {
          x: MARGIN_X,
          y: FOOTER_Y,
          size: set.size,
          font: set.font,
          color: MUTED,
        })
      }
    }
  }
}

/**
 * Greedy line breaking at spaces; `\n` forces a break; a word wider than the line is broken
 * between characters. Text must already be WinAnsi.
 */
function wrap(text: string, set: TextSet, width: number): string[] {
  const measure = (s: string) => set.font.widthOfTextAtSize(s, set.size)
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    for (const word of para.split(/ +/)) {
      if (word === '') continue
      const candidate = line === '' ? word : `${line} ${word}`
      if (measure(candidate) <= width) {
        line = candidate
        continue
      }
      if (line !== '') out.push(line)
      line = ''
      let rest = word
      while (measure(rest) > width) {
        let n = 1
        while (n < rest.length && measure(rest.slice(0, n + 1)) <= width) n++
        out.push(rest.slice(0, n))
        rest = rest.slice(n)
      }
      line = rest
    }
    out.push(line)
  }
  return out
}
