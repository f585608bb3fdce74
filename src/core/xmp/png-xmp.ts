import { crc32 } from './crc32.js'
import { XmpError } from './xmp-error.js'

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
// XMP spec part 3 §1.1.5: XMP in PNG is an iTXt chunk with this keyword, uncompressed.
const XMP_KEYWORD = 'XML:com.adobe.xmp'

interface Chunk {
  readonly type: string
  /** Offset of the chunk's length field. */
  readonly start: number
  /** Offset just past its CRC. */
  readonly end: number
  readonly data: Uint8Array
}

/** The chunks of a PNG, checked for shape (lengths, order of IHDR/IEND, CRCs). */
export function readPngChunks(png: Uint8Array): Chunk[] {
  if (png.length < SIGNATURE.length || !SIGNATURE.every((b, i) => png[i] === b)) {
    throw new XmpError('XMP_IMAGE_INVALID', 'not a PNG file')
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const chunks: Chunk[] = []
  let at = SIGNATURE.length
  while (at < png.length) {
    if (at + 12 > png.length) throw new XmpError('XMP_IMAGE_INVALID', 'truncated PNG chunk')
    const length = view.getUint32(at)
    const end = at + 12 + length
    if (length > 0x7fffffff || end > png.length) {
      throw new XmpError('XMP_IMAGE_INVALID', 'PNG chunk overruns the file')
    }
    const typeBytes = png.subarray(at + 4, at + 8)
    const data = png.subarray(at + 8, at + 8 + length)
    if (crc32(typeBytes, data) !== view.getUint32(at + 8 + length)) {
      throw new XmpError('XMP_IMAGE_INVALID', 'PNG chunk CRC mismatch')
    }
    const type = String.fromCharCode(...typeBytes)
    chunks.push({ type, start: at, end, data })
    at = end
    if (type === 'IEND') break
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') {
    throw new XmpError('XMP_IMAGE_INVALID', 'PNG must start with IHDR and end with IEND')
  }
  if (!chunks.some((c) => c.type === 'IDAT')) {
    throw new XmpError('XMP_IMAGE_INVALID', 'PNG has no IDAT chunk')
  }
  return chunks
}

/** Builds one PNG chunk (length, type, data, CRC). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  const typeBytes = new TextEncoder().encode(type)
  out.set(typeBytes, 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(typeBytes, data))
  return out
}

/**
 * Writes `packet` into a PNG as an uncompressed `iTXt` chunk with keyword `XML:com.adobe.xmp`,
 * placed just before the first `IDAT`; any XMP chunk already there is dropped. Every other
 * chunk, pixel data included, is copied byte for byte. Throws `XMP_IMAGE_INVALID` for a
 * malformed PNG.
 */
export function insertPngXmp(png: Uint8Array, packet: Uint8Array): Uint8Array {
  const chunks = readPngChunks(png)
  const keyword = new TextEncoder().encode(XMP_KEYWORD)
  // PNG spec §11.3.4.5 iTXt: keyword, NUL, compression flag, compression method,
  // language tag, NUL, translated keyword, NUL, text.
  const data = new Uint8Array(keyword.length + 5 + packet.length)
  data.set(keyword, 0)
  data.set(packet, keyword.length + 5)
  const itxt = pngChunk('iTXt', data)
  const parts: Uint8Array[] = [png.subarray(0, SIGNATURE.length)]
  let inserted = false
  for (const c of chunks) {
    if (c.type === 'iTXt' && isXmpItxt(c.data, keyword)) continue
    if (c.type === 'IDAT' && !inserted) {
      parts.push(itxt)
      inserted = true
    }
    parts.push(png.subarray(c.start, c.end))
  }
  return concat(parts)
}

function isXmpItxt(data: Uint8Array, keyword: Uint8Array): boolean {
  return (
    data.length > keyword.length &&
    data[keyword.length] === 0 &&
    keyword.every((b, i) => data[i] === b)
  )
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
