import {
  decodePDFRawStream,
  PDFArray,
  type PDFDocument,
  PDFName,
  PDFRawStream,
  PDFStream,
  PDFDocument as PdfLib,
} from 'pdf-lib'

// Windows-1252 0x80–0x9F (the rest is Latin-1). Node's TextDecoder without full ICU decodes
// those bytes as C1 controls, so they are mapped here.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'

function decodeWinAnsi(bytes: Buffer): string {
  let out = ''
  for (const b of bytes)
    out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b)
  return out
}

/** A parsed PDF: the document, each page's text (Tj strings joined by spaces), images embedded. */
export interface ReadPdf {
  readonly doc: PDFDocument
  readonly pages: readonly string[]
  /** Every page's text, joined by newlines. */
  readonly text: string
  /** Image XObjects in the file. */
  readonly imageCount: number
}

/**
 * Reads a PDF back with pdf-lib (an independent parse of the bytes): decompresses each page's
 * content streams and collects the strings shown with `Tj`, decoded from WinAnsi. Enough for
 * documents set in the standard fonts, as Selvedge's are; not a general text extractor.
 */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const doc = await PdfLib.load(bytes, { updateMetadata: false })
  const pages = doc.getPages().map((page) => {
    const contents = page.node.Contents()
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => doc.context.lookup(ref))
        : [contents]
    const shown: string[] = []
    for (const stream of streams) {
      if (!(stream instanceof PDFStream)) continue
      const raw =
        stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream.getContents()
      const ops = Buffer.from(raw).toString('latin1')
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
        if (m[1] !== undefined) shown.push(decodeWinAnsi(Buffer.from(m[1], 'hex')))
        else shown.push(m[2] ?? '')
      }
    }
    return shown.join(' ')
  })
  let imageCount = 0
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (
      object instanceof PDFStream &&
      object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')
    ) {
      imageCount++
    }
  }
  return { doc, pages, text: pages.join('\n'), imageCount }
}

/** Text with all whitespace removed: finds a hash even where a line break split it. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '')
}
