import { createHash } from 'node:crypto'
import { XmpError } from './xmp-error.js'

/** PLUS Data Mining values (PLUS LDF vocabulary, `DMI-*`). */
export const DATA_MINING = {
  prohibitedAiTraining: 'http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING',
  allowed: 'http://ns.useplus.org/ldf/vocab/DMI-ALLOWED',
} as const

export type DataMiningValue = (typeof DATA_MINING)[keyof typeof DATA_MINING]

/** IPTC Extension: the encoding type and language of an embedded ODRL rights expression. */
export const ODRL_RIGHTS_EXPR = {
  encType: 'application/ld+json',
  langId: 'http://www.w3.org/ns/odrl/2/',
} as const

/** The licence facts written into a file's XMP. */
export interface XmpLicence {
  /** `dc:rights`: the copyright notice. */
  readonly rights: string
  /** `dc:creator`: authors, in order. */
  readonly creators: readonly string[]
  /** `xmpRights:WebStatement`: a URL where the licence can be read. */
  readonly webStatement: string
  /** `xmpRights:UsageTerms`: the licence in plain words. */
  readonly usageTerms: string
  /** `plus:Licensor`. */
  readonly licensor: { readonly name: string; readonly url: string }
  /** `plus:CopyrightOwner`. */
  readonly copyrightOwners: readonly { readonly name: string; readonly id?: string }[]
  /** `plus:LicenseID`: the agreement under which this copy was made, when there is one. */
  readonly licenseId?: string
  /** `plus:DataMining`. */
  readonly dataMining: DataMiningValue
  /** `Iptc4xmpExt:EmbdEncRightsExpr`: the ODRL policy as compact JSON-LD text. */
  readonly rightsExpression: string
  /**
   * `Iptc4xmpExt:DigitalSourceType`: an IPTC digital-source-type IRI from the provenance tier;
   * absent while the tier is unknown.
   */
  readonly digitalSourceType?: string
}

/** A packet for a container: the standard XMP, and the extended XMP when it did not fit. */
export interface XmpPackets {
  /** A complete `<?xpacket …?>` wrapped packet, UTF-8. */
  readonly standard: Uint8Array
  /**
   * XMP spec part 3 §1.1.3.1: the serialised `x:xmpmeta` holding the properties moved out of the
   * standard packet, with its GUID (the MD5 of these bytes, 32 upper-case hex digits).
   */
  readonly extended: { readonly guid: string; readonly bytes: Uint8Array } | null
}

const NS = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  xmpRights: 'http://ns.adobe.com/xap/1.0/rights/',
  plus: 'http://ns.useplus.org/ldf/xmp/1.0/',
  Iptc4xmpExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  xmpNote: 'http://ns.adobe.com/xmp/note/',
} as const

// XMP spec part 1 §7.3.2: the id value of the packet wrapper is this fixed string.
const PACKET_ID = 'W5M0MpCehiHzreSzNTczkc9d'

/**
 * Serialises the licence as one XMP packet (RDF/XML, UTF-8). Attacker-controlled text (titles,
 * policy values) is escaped, and characters XML 1.0 forbids are replaced with U+FFFD.
 */
export function buildXmpPacket(licence: XmpLicence): Uint8Array {
  return wrapPacket([...standardProperties(licence), rightsExpressionProperty(licence)])
}

/**
 * Builds the packets for a container whose standard packet is limited to `maxStandardBytes`
 * (JPEG: 65,502). When the whole packet fits, `extended` is null; otherwise the embedded rights
 * expression moves to the extended XMP and the standard packet names it by
 * `xmpNote:HasExtendedXMP` (XMP spec part 3 §1.1.3.1). Throws `XMP_TOO_LARGE` when even the
 * standard properties alone do not fit.
 */
export function buildXmpPackets(licence: XmpLicence, maxStandardBytes: number): XmpPackets {
  const whole = buildXmpPacket(licence)
  if (whole.byteLength <= maxStandardBytes) return { standard: whole, extended: null }
  const extendedBytes = utf8(xmpmeta([rightsExpressionProperty(licence)]))
  const guid = createHash('md5').update(extendedBytes).digest('hex').toUpperCase()
  const standard = wrapPacket([
    ...standardProperties(licence),
    `<xmpNote:HasExtendedXMP>${guid}</xmpNote:HasExtendedXMP>`,
  ])
  if (standard.byteLength > maxStandardBytes) {
    throw new XmpError(
      'XMP_TOO_LARGE',
      `the standard XMP packet is ${standard.byteLength} bytes; at most ${maxStandardBytes} fit`,
    )
  }
  return { standard, extended: { guid, bytes: extendedBytes } }
}

function standardProperties(l: XmpLicence): string[] {
  const props = [
    `<dc:rights>${langAlt(l.rights)}</dc:rights>`,
    `<dc:creator><rdf:Seq>${l.creators.map((c) => `<rdf:li>${text(c)}</rdf:li>`).join('')}</rdf:Seq></dc:creator>`,
    `<xmpRights:WebStatement>${text(l.webStatement)}</xmpRights:WebStatement>`,
    `<xmpRights:UsageTerms>${langAlt(l.usageTerms)}</xmpRights:UsageTerms>`,
    `<plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource"><plus:LicensorName>${text(l.licensor.name)}</plus:LicensorName><plus:LicensorURL>${text(l.licensor.url)}</plus:LicensorURL></rdf:li></rdf:Seq></plus:Licensor>`,
    `<plus:CopyrightOwner><rdf:Seq>${l.copyrightOwners
      .map(
        (o) =>
          `<rdf:li rdf:parseType="Resource"><plus:CopyrightOwnerName>${text(o.name)}</plus:CopyrightOwnerName>${
            o.id === undefined ? '' : `<plus:CopyrightOwnerID>${text(o.id)}</plus:CopyrightOwnerID>`
          }</rdf:li>`,
      )
      .join('')}</rdf:Seq></plus:CopyrightOwner>`,
  ]
  if (l.licenseId !== undefined) props.push(`<plus:LicenseID>${text(l.licenseId)}</plus:LicenseID>`)
  props.push(`<plus:DataMining>${text(l.dataMining)}</plus:DataMining>`)
  if (l.digitalSourceType !== undefined) {
    props.push(
      `<Iptc4xmpExt:DigitalSourceType>${text(l.digitalSourceType)}</Iptc4xmpExt:DigitalSourceType>`,
    )
  }
  return props
}

function rightsExpressionProperty(l: XmpLicence): string {
  return `<Iptc4xmpExt:EmbdEncRightsExpr><rdf:Bag><rdf:li rdf:parseType="Resource"><Iptc4xmpExt:EncRightsExpr>${text(l.rightsExpression)}</Iptc4xmpExt:EncRightsExpr><Iptc4xmpExt:RightsExprEncType>${ODRL_RIGHTS_EXPR.encType}</Iptc4xmpExt:RightsExprEncType><Iptc4xmpExt:RightsExprLangId>${ODRL_RIGHTS_EXPR.langId}</Iptc4xmpExt:RightsExprLangId></rdf:li></rdf:Bag></Iptc4xmpExt:EmbdEncRightsExpr>`
}

function xmpmeta(properties: readonly string[]): string {
  const xmlns = Object.entries(NS)
    .filter(([prefix]) => prefix !== 'x' && prefix !== 'rdf')
    .map(([prefix, iri]) => ` xmlns:${prefix}="${iri}"`)
    .join('')
  return [
    `<x:xmpmeta xmlns:x="${NS.x}">`,
    ` <rdf:RDF xmlns:rdf="${NS.rdf}">`,
    `  <rdf:Description rdf:about=""${xmlns}>`,
    ...properties.map((p) => `   ${p}`),
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
  ].join('\n')
}

function wrapPacket(properties: readonly string[]): Uint8Array {
  return utf8(
    `<?xpacket begin="\uFEFF" id="${PACKET_ID}"?>\n${xmpmeta(properties)}\n<?xpacket end="w"?>`,
  )
}

function langAlt(value: string): string {
  return `<rdf:Alt><rdf:li xml:lang="x-default">${text(value)}</rdf:li></rdf:Alt>`
}

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Anything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) cannot appear even as a reference.
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  )
}

function xmlChars(value: string): string {
  let out = ''
  // for…of walks code points; a lone surrogate comes through as one unit and is replaced.
  for (const ch of value) out += isXmlChar(ch.codePointAt(0) ?? 0) ? ch : '\uFFFD'
  return out
}

/** Escapes text content for RDF/XML. */
export function escapeXmlText(value: string): string {
  return xmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;')
}

const text = escapeXmlText

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}
