const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const APP11 = 0xeb
const SOS = 0xda
const EOI = 0xd9
// ISO/IEC 19566-5 (JUMBF) §B / JPEG XT: each APP11 segment holds CI "JP", a 2-byte box
// instance number En, a 4-byte packet sequence number Z, then the box (its LBox and TBox
// repeated in every packet).
const JP = [0x4a, 0x50]
const LABEL_C2PA = new TextEncoder().encode('c2pa')

/**
 * The embedded C2PA manifest store (the JUMBF `c2pa` superbox) of a PNG (`caBX` chunk, C2PA 2.1
 * §A.3.3) or JPEG (APP11 segments, C2PA 2.1 §A.3.1, reassembled), byte for byte as signed; null
 * when the file carries none or is not a PNG or JPEG. Never throws: malformed structure reads as
 * no manifest store (the validator reports the details).
 */
export function extractManifestStore(file: Uint8Array): Uint8Array | null {
  if (PNG_SIGNATURE.every((b, i) => file[i] === b)) return fromPng(file)
  if (file[0] === 0xff && file[1] === 0xd8) return fromJpeg(file)
  return null
}

function u32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) |
      ((bytes[at + 1] ?? 0) << 16) |
      ((bytes[at + 2] ?? 0) << 8) |
      (bytes[at + 3] ?? 0)) >>>
    0
  )
}

function fromPng(png: Uint8Array): Uint8Array | null {
  let at = PNG_SIGNATURE.length
  while (at + 12 <= png.length) {
    const length = u32(png, at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const end = at + 12 + length
    if (end > png.length) return null
    if (type === 'caBX') return png.slice(at + 8, at + 8 + length)
    if (type === 'IEND') return null
    at = end
  }
  return null
}

function fromJpeg(jpeg: Uint8Array): Uint8Array | null {
  const packets = new Map<number, { seq: number; body: Uint8Array }[]>()
  let at = 2
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null
    let m = at + 1
    while (m < jpeg.length && jpeg[m] === 0xff) m++
    const marker = jpeg[m]
    if (marker === undefined || marker === SOS || marker === EOI) break
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at = m + 1
      continue
    }
    const length = ((jpeg[m + 1] ?? 0) << 8) | (jpeg[m + 2] ?? 0)
    const end = m + 1 + length
    if (length < 2 || end > jpeg.length) return null
    const payload = jpeg.subarray(m + 3, end)
    if (marker === APP11 && payload.length >= 16 && payload[0] === JP[0] && payload[1] === JP[1]) {
      const instance = ((payload[2] ?? 0) << 8) | (payload[3] ?? 0)
      const list = packets.get(instance) ?? []
      list.push({ seq: u32(payload, 4), body: payload.subarray(8) })
      packets.set(instance, list)
    }
    at = end
  }
  for (const list of packets.values()) {
    list.sort((a, b) => a.seq - b.seq)
    const box = reassemble(list.map((p) => p.body))
    if (box !== null && isC2paSuperbox(box)) return box
  }
  return null
}

function reassemble(bodies: readonly Uint8Array[]): Uint8Array | null {
  const first = bodies[0]
  if (first === undefined || first.length < 8) return null
  // An LBox of 1 means an 8-byte XLBox follows TBox: the repeated header is 16 bytes then.
  const headerBytes = u32(first, 0) === 1 ? 16 : 8
  const parts = [first, ...bodies.slice(1).map((b) => b.subarray(headerBytes))]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

// A JUMBF superbox (`jumb`) whose description box (`jumd`) is labelled `c2pa`: 4+4 header,
// then the jumd box: 4+4 header, a 16-byte type UUID, a toggles byte, the NUL-ended label.
function isC2paSuperbox(box: Uint8Array): boolean {
  const tag = (at: number) => String.fromCharCode(...box.subarray(at, at + 4))
  if (tag(4) !== 'jumb' || tag(12) !== 'jumd') return false
  const label = 8 + 8 + 16 + 1
  return LABEL_C2PA.every((b, i) => box[label + i] === b) && box[label + LABEL_C2PA.length] === 0
}
