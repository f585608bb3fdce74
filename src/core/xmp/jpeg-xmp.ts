import { concat } from './png-xmp.js'
import { XmpError } from './xmp-error.js'
import type { XmpPackets } from './xmp-packet.js'

// XMP spec part 3 §1.1.3: the APP1 namespace signatures, NUL-terminated.
const STANDARD_SIGNATURE = new TextEncoder().encode('http://ns.adobe.com/xap/1.0/\0')
const EXTENDED_SIGNATURE = new TextEncoder().encode('http://ns.adobe.com/xmp/extension/\0')
const MAX_SEGMENT_PAYLOAD = 0xffff - 2

/**
 * The largest standard XMP packet a JPEG APP1 segment may carry, as XMP spec part 3 §1.1.3.1
 * states it (65,535 less the length field, the 29-byte signature and a margin).
 */
export const JPEG_MAX_STANDARD_XMP_BYTES = 65_502
// XMP spec part 3 §1.1.3.1 suggests 65,400-byte portions of the extended XMP per segment.
const EXTENDED_CHUNK_BYTES = 65_400

const SOI = 0xd8
const SOS = 0xda
const EOI = 0xd9
const APP0 = 0xe0
const APP1 = 0xe1

interface Segment {
  readonly marker: number
  readonly start: number
  readonly end: number
  readonly payload: Uint8Array
}

/**
 * Writes XMP into a JPEG: one APP1 `http://ns.adobe.com/xap/1.0/` segment with the standard
 * packet, followed by `http://ns.adobe.com/xmp/extension/` segments carrying the extended XMP
 * when there is one, all placed after SOI and any APP0 (JFIF) segments. XMP segments already in
 * the file are dropped; every other byte (the entropy-coded scan included) is copied unchanged.
 * Throws `XMP_IMAGE_INVALID` for a malformed JPEG and `XMP_TOO_LARGE` for a packet over 65,502
 * bytes.
 */
export function insertJpegXmp(jpeg: Uint8Array, packets: XmpPackets): Uint8Array {
  if (packets.standard.length > JPEG_MAX_STANDARD_XMP_BYTES) {
    throw new XmpError('XMP_TOO_LARGE', 'the standard XMP packet does not fit one APP1 segment')
  }
  const { segments, scanStart } = readJpegHeaderSegments(jpeg)
  const xmpSegments = [app1(concat([STANDARD_SIGNATURE, packets.standard]))]
  if (packets.extended !== null) {
    const { guid, bytes } = packets.extended
    const guidBytes = new TextEncoder().encode(guid)
    for (let offset = 0; offset < bytes.length; offset += EXTENDED_CHUNK_BYTES) {
      const header = new Uint8Array(8)
      const view = new DataView(header.buffer)
      view.setUint32(0, bytes.length)
      view.setUint32(4, offset)
      const portion = bytes.subarray(offset, offset + EXTENDED_CHUNK_BYTES)
      xmpSegments.push(app1(concat([EXTENDED_SIGNATURE, guidBytes, header, portion])))
    }
  }
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)]
  let inserted = false
  for (const s of segments) {
    if (!inserted && s.marker !== APP0) {
      parts.push(...xmpSegments)
      inserted = true
    }
    if (
      s.marker === APP1 &&
      (startsWith(s.payload, STANDARD_SIGNATURE) || startsWith(s.payload, EXTENDED_SIGNATURE))
    ) {
      continue
    }
    parts.push(jpeg.subarray(s.start, s.end))
  }
  if (!inserted) parts.push(...xmpSegments)
  parts.push(jpeg.subarray(scanStart))
  return concat(parts)
}

/** The marker segments before the first scan, and the offset of the SOS marker. */
function readJpegHeaderSegments(jpeg: Uint8Array): { segments: Segment[]; scanStart: number } {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) {
    throw new XmpError('XMP_IMAGE_INVALID', 'not a JPEG file')
  }
  const segments: Segment[] = []
  let at = 2
  for (;;) {
    if (at + 1 >= jpeg.length) throw new XmpError('XMP_IMAGE_INVALID', 'JPEG ends before its scan')
    if (jpeg[at] !== 0xff) throw new XmpError('XMP_IMAGE_INVALID', 'JPEG marker expected')
    // ITU-T T.81 §B.1.1.2: any number of 0xFF fill bytes may precede a marker.
    let m = at + 1
    while (m < jpeg.length && jpeg[m] === 0xff) m++
    const marker = jpeg[m]
    if (marker === undefined) throw new XmpError('XMP_IMAGE_INVALID', 'truncated JPEG marker')
    if (marker === SOS) return { segments, scanStart: at }
    if (marker === EOI || marker === SOI || marker === 0x00) {
      throw new XmpError('XMP_IMAGE_INVALID', 'JPEG has no scan')
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      throw new XmpError('XMP_IMAGE_INVALID', 'unexpected standalone JPEG marker')
    }
    if (m + 2 >= jpeg.length) throw new XmpError('XMP_IMAGE_INVALID', 'truncated JPEG segment')
    const length = ((jpeg[m + 1] as number) << 8) | (jpeg[m + 2] as number)
    const end = m + 1 + length
    if (length < 2 || end > jpeg.length) {
      throw new XmpError('XMP_IMAGE_INVALID', 'JPEG segment overruns the file')
    }
    segments.push({ marker, start: at, end, payload: jpeg.subarray(m + 3, end) })
    at = end
  }
}

function app1(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_SEGMENT_PAYLOAD) {
    throw new XmpError('XMP_TOO_LARGE', 'an XMP segment is over 65,533 bytes')
  }
  const out = new Uint8Array(payload.length + 4)
  out[0] = 0xff
  out[1] = APP1
  out[2] = (payload.length + 2) >> 8
  out[3] = (payload.length + 2) & 0xff
  out.set(payload, 4)
  return out
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)
}
