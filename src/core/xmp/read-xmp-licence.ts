/** The licence facts a file's XMP states, as read back (absent properties are null). */
export interface XmpLicenceReading {
  /** `dc:rights` (x-default). */
  readonly rights: string | null
  /** `dc:creator`, in order. */
  readonly creators: readonly string[]
  /** `xmpRights:WebStatement`. */
  readonly webStatement: string | null
  /** `xmpRights:UsageTerms` (x-default). */
  readonly usageTerms: string | null
  /** `plus:Licensor` (the first). */
  readonly licensor: { readonly name: string | null; readonly url: string | null } | null
  /** `plus:LicenseID`. */
  readonly licenseId: string | null
  /** `plus:DataMining`. */
  readonly dataMining: string | null
  /** `Iptc4xmpExt:DigitalSourceType`. */
  readonly digitalSourceType: string | null
  /** `Iptc4xmpExt:EncRightsExpr`: the embedded ODRL policy text (from the extended XMP too). */
  readonly rightsExpression: string | null
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const XMP_KEYWORD = 'XML:com.adobe.xmp'
const STANDARD_SIGNATURE = 'http://ns.adobe.com/xap/1.0/\0'
const EXTENDED_SIGNATURE = 'http://ns.adobe.com/xmp/extension/\0'
const decoder = new TextDecoder('utf-8', { fatal: false })

/**
 * Reads the licence XMP of a PNG (uncompressed `iTXt` `XML:com.adobe.xmp`) or JPEG (APP1
 * standard XMP plus the extended XMP it names, XMP spec part 3 §1.1.3), as written by
 * `buildXmpPacket`; null when the file carries no XMP packet. Pure and total: the input is
 * attacker-controlled, so malformed containers read as no XMP rather than throwing.
 */
export function readXmpLicence(file: Uint8Array): XmpLicenceReading | null {
  const xmp = PNG_SIGNATURE.every((b, i) => file[i] === b) ? pngXmp(file) : jpegXmp(file)
  return xmp === null ? null : parseLicence(xmp)
}

function latin1(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096))
  }
  return s
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

function pngXmp(png: Uint8Array): string | null {
  let at = PNG_SIGNATURE.length
  while (at + 12 <= png.length) {
    const length = u32(png, at)
    const type = latin1(png.subarray(at + 4, at + 8))
    const end = at + 12 + length
    if (end > png.length) return null
    if (type === 'iTXt') {
      const data = png.subarray(at + 8, at + 8 + length)
      if (latin1(data.subarray(0, XMP_KEYWORD.length + 1)) === `${XMP_KEYWORD}\0`) {
        // iTXt: keyword NUL, compression flag, method, language NUL, translated keyword NUL.
        if (data[XMP_KEYWORD.length + 1] !== 0) return null
        let p = XMP_KEYWORD.length + 3
        for (let nuls = 0; nuls < 2 && p < data.length; p++) if (data[p] === 0) nuls++
        return decoder.decode(data.subarray(p))
      }
    }
    if (type === 'IEND') return null
    at = end
  }
  return null
}

function jpegXmp(jpeg: Uint8Array): string | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null
  let standard: string | null = null
  const extended = new Map<number, Uint8Array>()
  let at = 2
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    let m = at + 1
    while (m < jpeg.length && jpeg[m] === 0xff) m++
    const marker = jpeg[m]
    if (marker === undefined || marker === 0xda || marker === 0xd9) break
    const length = ((jpeg[m + 1] ?? 0) << 8) | (jpeg[m + 2] ?? 0)
    const end = m + 1 + length
    if (length < 2 || end > jpeg.length) break
    if (marker === 0xe1) {
      const payload = jpeg.subarray(m + 3, end)
      const head = latin1(payload.subarray(0, EXTENDED_SIGNATURE.length))
      if (head.startsWith(STANDARD_SIGNATURE) && standard === null) {
        standard = decoder.decode(payload.subarray(STANDARD_SIGNATURE.length))
      } else if (head === EXTENDED_SIGNATURE) {
        // GUID (32), full length (4), offset (4), then the portion.
        const body = payload.subarray(EXTENDED_SIGNATURE.length)
        extended.set(u32(body, 36), body.subarray(40))
      }
    }
    at = end
  }
  if (standard === null) return null
  const portions = [...extended.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b)
  const rest = decoder.decode(
    portions.reduce((acc, p) => {
      const out = new Uint8Array(acc.length + p.length)
      out.set(acc)
      out.set(p, acc.length)
      return out
    }, new Uint8Array(0)),
  )
  return rest === '' ? standard : `${standard}\n${rest}`
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e === 'lt') return '<'
    if (e === 'gt') return '>'
    if (e === 'amp') return '&'
    if (e === 'quot') return '"'
    if (e === 'apos') return "'"
    const code = e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD'
  })
}

function element(xmp: string, name: string): string | null {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xmp)
  if (m !== null) return m[1] ?? ''
  // Simple properties may also be written as attributes of rdf:Description.
  const a = new RegExp(`\\s${name}="([^"]*)"`).exec(xmp)
  return a === null ? null : unescapeXml(a[1] ?? '')
}

function items(inner: string): string[] {
  return [...inner.matchAll(/<rdf:li(?:\s[^>]*)?>([\s\S]*?)<\/rdf:li>/g)].map((m) => m[1] ?? '')
}

function textOf(xmp: string, name: string): string | null {
  const inner = element(xmp, name)
  return inner === null ? null : unescapeXml(inner.trim())
}

function altText(xmp: string, name: string): string | null {
  const inner = element(xmp, name)
  if (inner === null) return null
  const [first] = items(inner)
  return unescapeXml((first ?? inner).trim())
}

function parseLicence(xmp: string): XmpLicenceReading {
  const creators = element(xmp, 'dc:creator')
  const licensor = element(xmp, 'plus:Licensor')
  const firstLicensor = licensor === null ? null : (items(licensor)[0] ?? licensor)
  return {
    rights: altText(xmp, 'dc:rights'),
    creators: creators === null ? [] : items(creators).map((c) => unescapeXml(c.trim())),
    webStatement: textOf(xmp, 'xmpRights:WebStatement'),
    usageTerms: altText(xmp, 'xmpRights:UsageTerms'),
    licensor:
      firstLicensor === null
        ? null
        : {
            name: textOf(firstLicensor, 'plus:LicensorName'),
            url: textOf(firstLicensor, 'plus:LicensorURL'),
          },
    licenseId: textOf(xmp, 'plus:LicenseID'),
    dataMining: textOf(xmp, 'plus:DataMining'),
    digitalSourceType: textOf(xmp, 'Iptc4xmpExt:DigitalSourceType'),
    rightsExpression: textOf(xmp, 'Iptc4xmpExt:EncRightsExpr'),
  }
}
