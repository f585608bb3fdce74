/** The IPTC digital source type vocabulary's namespace (NewsCodes `digitalsourcetype`). */
export const DIGITAL_SOURCE_TYPE_BASE = 'http://cv.iptc.org/newscodes/digitalsourcetype/'

/**
 * IPTC digital source type codes (https://cv.iptc.org/newscodes/digitalsourcetype/, 2024
 * release), including the retired `softwareImage` that older files still carry.
 */
export const DIGITAL_SOURCE_TYPES = [
  'digitalCapture',
  'computationalCapture',
  'negativeFilm',
  'positiveFilm',
  'print',
  'minorHumanEdits',
  'humanEdits',
  'compositeCapture',
  'algorithmicallyEnhanced',
  'digitalCreation',
  'dataDrivenMedia',
  'trainedAlgorithmicMedia',
  'algorithmicMedia',
  'screenCapture',
  'virtualRecording',
  'composite',
  'compositeSynthetic',
  'compositeWithTrainedAlgorithmicMedia',
  'softwareImage',
] as const

/** One IPTC digital source type code. */
export type DigitalSourceTypeCode = (typeof DIGITAL_SOURCE_TYPES)[number]

/**
 * Source types that mean generated material: produced by a trained model, or by an algorithm
 * with no human creative input. Any step carrying one puts AI material in the work.
 */
export const GENERATIVE_SOURCE_TYPES: ReadonlySet<DigitalSourceTypeCode> = new Set([
  'trainedAlgorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
  'compositeSynthetic',
  'algorithmicMedia',
  'dataDrivenMedia',
])

/**
 * The C2PA 2.x standard actions (C2PA specification §18.14.4.2 "Actions") plus `slv.selected`,
 * Selvedge's own action for choosing among AI candidates.
 */
export const AUTHORSHIP_ACTIONS = [
  'c2pa.color_adjustments',
  'c2pa.converted',
  'c2pa.created',
  'c2pa.cropped',
  'c2pa.deleted',
  'c2pa.drawing',
  'c2pa.dubbed',
  'c2pa.edited',
  'c2pa.edited.metadata',
  'c2pa.enhanced',
  'c2pa.filtered',
  'c2pa.opened',
  'c2pa.orientation',
  'c2pa.placed',
  'c2pa.published',
  'c2pa.redacted',
  'c2pa.removed',
  'c2pa.repackaged',
  'c2pa.resized',
  'c2pa.transcoded',
  'c2pa.translated',
  'c2pa.trimmed',
  'c2pa.unknown',
  'c2pa.watermarked',
  'slv.selected',
] as const

/** One action of the journal's vocabulary. */
export type AuthorshipAction = (typeof AUTHORSHIP_ACTIONS)[number]

/**
 * Actions that, done by a person, change or arrange what the work looks like: the human
 * contributions the US Copyright Office's 2025 report (Part 2, Copyrightability) counts —
 * modification and arrangement perceptible in the result — as opposed to prompting.
 */
export const HUMAN_AUTHORSHIP_ACTIONS: ReadonlySet<AuthorshipAction> = new Set([
  'c2pa.created',
  'c2pa.drawing',
  'c2pa.edited',
  'c2pa.color_adjustments',
  'c2pa.placed',
  'c2pa.cropped',
  'c2pa.filtered',
  'c2pa.removed',
  'c2pa.deleted',
])

/** The full IRI of a short code. */
export function digitalSourceTypeIri(code: DigitalSourceTypeCode): string {
  return `${DIGITAL_SOURCE_TYPE_BASE}${code}`
}

/** The short code of a full IRI or short code; null when it is not in the vocabulary. */
export function digitalSourceTypeCode(value: string): DigitalSourceTypeCode | null {
  const code = value.startsWith(DIGITAL_SOURCE_TYPE_BASE)
    ? value.slice(DIGITAL_SOURCE_TYPE_BASE.length)
    : value
  return (DIGITAL_SOURCE_TYPES as readonly string[]).includes(code)
    ? (code as DigitalSourceTypeCode)
    : null
}
