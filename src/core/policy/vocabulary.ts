/** The ODRL 2.2 namespace. */
export const ODRL_NS = 'http://www.w3.org/ns/odrl/2/'
/** The Selvedge profile IRI (the policy's `profile`). */
export const PROFILE_IRI = 'https://selvedge.dev/ns/odrl/v1'
/** The Selvedge vocabulary namespace, prefix `slv:`. */
export const SLV_NS = 'https://selvedge.dev/ns/odrl/v1#'
/** The ODRL JSON-LD context IRI; recognised by name, never fetched. */
export const ODRL_CONTEXT_IRI = 'http://www.w3.org/ns/odrl.jsonld'
/** The Selvedge JSON-LD context IRI; recognised by name, never fetched (its terms are built in). */
export const SLV_CONTEXT_IRI = 'https://selvedge.dev/ns/odrl/v1/context.jsonld'

const XSD_NS = 'http://www.w3.org/2001/XMLSchema#'
const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'

/** Prefixes every policy may use without declaring them. */
export const BUILT_IN_PREFIXES: Readonly<Record<string, string>> = {
  odrl: ODRL_NS,
  slv: SLV_NS,
  xsd: XSD_NS,
  rdf: RDF_NS,
  dct: 'http://purl.org/dc/terms/',
  dc: 'http://purl.org/dc/elements/1.1/',
  owl: 'http://www.w3.org/2002/07/owl#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  cc: 'http://creativecommons.org/ns#',
}

const o = (t: string): string => ODRL_NS + t
const s = (t: string): string => SLV_NS + t

// ODRL 2.2 vocabulary (W3C REC 2018, ODRL22.ttl): each action with its `includedIn` parent.
// `write` is deprecated in 2.2 but still read as a kind of `use` (the SolidLab suite relies on
// it). `display` sits under `play` exactly as ODRL22.ttl says.
const ODRL_ACTION_PARENTS: Readonly<Record<string, string | null>> = {
  use: null,
  transfer: null,
  give: 'transfer',
  sell: 'transfer',
  grantUse: 'use',
  compensate: 'use',
  acceptTracking: 'use',
  aggregate: 'use',
  annotate: 'use',
  anonymize: 'use',
  archive: 'use',
  attribute: 'use',
  concurrentUse: 'use',
  delete: 'use',
  derive: 'use',
  digitize: 'use',
  display: 'play',
  distribute: 'use',
  ensureExclusivity: 'use',
  execute: 'use',
  extract: 'reproduce',
  include: 'use',
  index: 'use',
  inform: 'use',
  install: 'use',
  modify: 'use',
  move: 'use',
  nextPolicy: 'use',
  obtainConsent: 'use',
  play: 'use',
  present: 'use',
  print: 'use',
  read: 'use',
  reproduce: 'use',
  reviewPolicy: 'use',
  stream: 'use',
  synchronize: 'use',
  textToSpeech: 'use',
  transform: 'use',
  translate: 'use',
  uninstall: 'use',
  watermark: 'use',
  write: 'use',
}

// Selvedge profile actions and where they sit in the hierarchy.
const SLV_ACTION_PARENTS: Readonly<Record<string, string>> = {
  [s('generateVariants')]: o('derive'),
  [s('aiTraining')]: o('use'),
  [s('fineTune')]: s('aiTraining'),
  [s('aiInference')]: o('use'),
}

/** Every known action IRI → its parent action IRI (null at a root). */
export const ACTION_PARENT: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  ...Object.entries(ODRL_ACTION_PARENTS).map(
    ([k, v]) => [o(k), v === null ? null : o(v)] as [string, string | null],
  ),
  ...Object.entries(SLV_ACTION_PARENTS),
])

/** The action and all its ancestors, nearest first. */
export function actionAncestors(action: string): string[] {
  const out: string[] = []
  let cur: string | null | undefined = action
  while (cur !== null && cur !== undefined) {
    out.push(cur)
    cur = ACTION_PARENT.get(cur)
  }
  return out
}

/** The action and all its descendants. */
export function actionDescendants(action: string): Set<string> {
  const out = new Set<string>()
  for (const a of ACTION_PARENT.keys()) if (actionAncestors(a).includes(action)) out.add(a)
  return out
}

/** Duty actions the profile gives meaning to. */
export const DUTY_ACTIONS = {
  attribute: o('attribute'),
  compensate: o('compensate'),
  ensureExclusivity: o('ensureExclusivity'),
} as const

/** The kind of value a left operand takes. */
export type OperandType = 'number' | 'dateTime' | 'iri' | 'country' | 'iriSet' | 'decimal'

/** Left operands in the profile: where the request value comes from and its type. */
export const LEFT_OPERANDS: ReadonlyMap<string, { key: LeftOperandKey; type: OperandType }> =
  new Map<string, { key: LeftOperandKey; type: OperandType }>([
    [o('purpose'), { key: 'purpose', type: 'iri' }],
    [o('spatial'), { key: 'spatial', type: 'country' }],
    [o('dateTime'), { key: 'dateTime', type: 'dateTime' }],
    [o('count'), { key: 'count', type: 'number' }],
    [s('cumulativeUnits'), { key: 'cumulativeUnits', type: 'number' }],
    [o('industry'), { key: 'industry', type: 'iri' }],
    [o('product'), { key: 'product', type: 'iri' }],
    [s('heldLicence'), { key: 'heldLicence', type: 'iriSet' }],
    [o('resolution'), { key: 'resolution', type: 'number' }],
  ])

export type LeftOperandKey =
  | 'purpose'
  | 'spatial'
  | 'dateTime'
  | 'count'
  | 'cumulativeUnits'
  | 'industry'
  | 'product'
  | 'heldLicence'
  | 'resolution'

/** Left operands that only refine a `compensate` duty (its price and settlement). */
export const PRICE_OPERANDS = {
  payAmount: o('payAmount'),
  unitPrice: s('unitPrice'),
  settlement: s('settlement'),
} as const

export const SETTLEMENTS = { prepaid: s('prepaid'), postpaid: s('postpaid') } as const

/** The twelve ODRL 2.2 constraint operators. */
export const OPERATORS = [
  'eq',
  'gt',
  'gteq',
  'lt',
  'lteq',
  'neq',
  'isA',
  'hasPart',
  'isPartOf',
  'isAllOf',
  'isAnyOf',
  'isNoneOf',
] as const
export type Operator = (typeof OPERATORS)[number]

export const LOGICAL_OPERATORS = ['or', 'xone', 'and', 'andSequence'] as const
export type LogicalOperator = (typeof LOGICAL_OPERATORS)[number]

/** Purposes with a built-in place in the `isA` taxonomy (child → parent). */
export const PURPOSE_PARENT: ReadonlyMap<string, string> = new Map([
  [s('commercialPrint'), s('commercial')],
  [s('merchandise'), s('commercial')],
  [s('advertising'), s('commercial')],
  [s('personal'), s('nonCommercial')],
  [s('editorial'), s('nonCommercial')],
  [s('education'), s('nonCommercial')],
  [s('research'), s('nonCommercial')],
])

/** Regions usable as `spatial` right operands with `isPartOf` / `hasPart`. */
export const REGIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [
    'EU',
    new Set(
      'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '),
    ),
  ],
  [
    'EEA',
    new Set(
      'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(
        ' ',
      ),
    ),
  ],
])

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
// Codes ICU knows that are not ISO 3166-1 alpha-2 country codes (groupings, private use).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ'])

/** True for an assigned ISO 3166-1 alpha-2 code (checked against the runtime's ICU data). */
export function isCountryCode(code: string): boolean {
  const known = COUNTRY_CACHE.get(code)
  if (known !== undefined) return known
  let ok = false
  if (/^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code)) {
    try {
      ok = REGION_NAMES.of(code) !== undefined
    } catch {
      ok = false
    }
    // Only two-letter codes are cached, so the cache is bounded (26² entries).
    COUNTRY_CACHE.set(code, ok)
  }
  return ok
}
const COUNTRY_CACHE = new Map<string, boolean>()

/** The English name of a country or region code, for plain-language summaries. */
export function regionName(code: string): string {
  if (REGIONS.has(code)) return code === 'EU' ? 'the European Union' : 'the EEA'
  try {
    return REGION_NAMES.of(code) ?? code
  } catch {
    return code
  }
}

/** Currency IRIs seen in the wild (DBpedia) → ISO 4217 code. */
const CURRENCY_IRIS: Readonly<Record<string, string>> = {
  Euro: 'EUR',
  United_States_dollar: 'USD',
  Pound_sterling: 'GBP',
  Japanese_yen: 'JPY',
  Swiss_franc: 'CHF',
  Canadian_dollar: 'CAD',
  Australian_dollar: 'AUD',
  Swedish_krona: 'SEK',
  Danish_krone: 'DKK',
  Norwegian_krone: 'NOK',
}

const SUPPORTED_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

/** ISO 4217 code for a `unit` value (`EUR`, `slv:EUR`, a DBpedia currency IRI), or undefined. */
export function currencyCode(unit: string): string | undefined {
  const m = /^https?:\/\/dbpedia\.org\/resource\/(.+)$/.exec(unit)
  if (m !== null) return CURRENCY_IRIS[m[1] ?? '']
  const code = unit.startsWith(SLV_NS) ? unit.slice(SLV_NS.length) : unit
  return /^[A-Z]{3}$/.test(code) && SUPPORTED_CURRENCIES.has(code) ? code : undefined
}

/** Digits after the decimal point in the currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  let d = MINOR_DIGITS.get(currency)
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number
    MINOR_DIGITS.set(currency, d)
  }
  return d
}
const MINOR_DIGITS = new Map<string, number>()

/** The short name of an IRI in the ODRL or Selvedge namespace (`odrl:use` → `use`). */
export function shortName(iri: string): string {
  if (iri.startsWith(ODRL_NS)) return iri.slice(ODRL_NS.length)
  if (iri.startsWith(SLV_NS)) return `slv:${iri.slice(SLV_NS.length)}`
  return iri
}
