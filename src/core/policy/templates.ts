import { parseDecimal } from './money.js'
import { parsePolicy } from './parse-policy.js'
import { PolicyError, type PolicyProblem } from './policy-error.js'
import {
  currencyCode,
  isCountryCode,
  ODRL_CONTEXT_IRI,
  PROFILE_IRI,
  REGIONS,
  SLV_NS,
} from './vocabulary.js'

/** The licence templates a studio can attach and edit. */
export const POLICY_TEMPLATES = [
  'standard',
  'extended',
  'exclusive',
  'training',
  'synthetic',
] as const
export type PolicyTemplateName = (typeof POLICY_TEMPLATES)[number]

/**
 * The template name that asks for the asset's default template instead of naming one: see
 * {@link defaultTemplateFor}.
 */
export const DEFAULT_TEMPLATE = 'default'

/**
 * The template a licence attached as `default` gets, from the asset's provenance tier:
 * `synthetic` for synthetic work (AI output without qualifying human authorship, which cannot
 * be sold as exclusive human work), `standard` for every other tier. Pure and total.
 */
export function defaultTemplateFor(tier: string): PolicyTemplateName {
  return tier === 'synthetic' ? 'synthetic' : 'standard'
}

/** Where a template's policy sits: its uid, the studio granting it and the asset. */
export interface TemplateContext {
  readonly policyUid: string
  readonly assigner: string
  readonly target: string
}

type Json = Record<string, unknown>

const PARAMS: Record<PolicyTemplateName, Record<string, string | undefined>> = {
  standard: {
    unitCap: '1000',
    purpose: 'slv:commercialPrint',
    territory: undefined,
    price: undefined,
    currency: 'EUR',
    attribution: undefined,
  },
  extended: {
    unitCap: '10000',
    unitPrice: '0.02',
    currency: 'EUR',
    settlement: 'postpaid',
    purpose: 'slv:commercialPrint',
    territory: undefined,
    attribution: undefined,
    trainingLicence: undefined,
  },
  exclusive: {
    price: undefined,
    currency: 'EUR',
    territory: undefined,
    attribution: undefined,
    includeTraining: 'false',
  },
  training: { price: '50.00', currency: 'EUR', scope: 'fineTune', attribution: undefined },
  synthetic: {
    unitCap: '5000',
    unitPrice: '0.01',
    currency: 'EUR',
    settlement: 'postpaid',
    purpose: 'slv:commercialPrint',
    territory: undefined,
    attribution: undefined,
    trainingLicence: undefined,
  },
}

/** Parameter names and defaults of each template (undefined: optional, no default). */
export const TEMPLATE_PARAMETERS: Readonly<
  Record<PolicyTemplateName, Readonly<Record<string, string | undefined>>>
> = PARAMS

const atom = (leftOperand: string, operator: string, rightOperand: unknown): Json => ({
  leftOperand,
  operator,
  rightOperand,
})

/**
 * Builds the ODRL JSON-LD offer of a template with its parameters (all strings; defaults in
 * `TEMPLATE_PARAMETERS`). Templates use the conflict strategy `prohibit`. Throws
 * `PolicyError('POLICY_INVALID')` naming each bad parameter (path `params.NAME`).
 */
export function policyFromTemplate(
  name: PolicyTemplateName,
  params: Readonly<Record<string, string>>,
  ctx: TemplateContext,
): Json {
  const problems: PolicyProblem[] = []
  const spec = (PARAMS as Record<string, Record<string, string | undefined>>)[name]
  if (spec === undefined)
    throw new PolicyError('POLICY_INVALID', [
      { path: 'template', message: `unknown template ${name} (${POLICY_TEMPLATES.join(', ')})` },
    ])
  for (const k of Object.keys(params))
    if (!(k in spec))
      problems.push({
        path: `params.${k}`,
        message: `unknown parameter for template ${name} (${Object.keys(spec).join(', ')})`,
      })
  const get = (k: string): string | undefined => params[k] ?? spec[k]
  const count = (k: string): number | undefined => {
    const v = get(k)
    if (v === undefined) return undefined
    const n = Number(v)
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
      problems.push({ path: `params.${k}`, message: 'must be a non-negative integer' })
    return n
  }
  const money = (k: string, required: boolean): string | undefined => {
    const v = get(k)
    if (v === undefined) {
      if (required)
        problems.push({
          path: `params.${k}`,
          message: 'required: a decimal amount in major units, e.g. "250.00"',
        })
      return undefined
    }
    if (parseDecimal(v) === undefined)
      problems.push({ path: `params.${k}`, message: 'must be a non-negative decimal, e.g. "0.02"' })
    return v
  }
  const currency = get('currency') ?? 'EUR'
  if (currencyCode(currency) === undefined)
    problems.push({ path: 'params.currency', message: 'must be an ISO 4217 currency code' })
  const territoryRaw = get('territory')
  const territory =
    territoryRaw === undefined
      ? undefined
      : territoryRaw
          .split(',')
          .map((t) => t.trim().toUpperCase())
          .filter((t) => t !== '')
  if (
    territory !== undefined &&
    (territory.length === 0 || territory.some((t) => !isCountryCode(t) && !REGIONS.has(t)))
  )
    problems.push({
      path: 'params.territory',
      message: 'a comma-separated list of ISO 3166-1 alpha-2 codes (or EU, EEA)',
    })
  const settlement = get('settlement')
  if (settlement !== undefined && settlement !== 'prepaid' && settlement !== 'postpaid')
    problems.push({ path: 'params.settlement', message: 'must be prepaid or postpaid' })
  const scope = get('scope')
  if (scope !== undefined && scope !== 'fineTune' && scope !== 'training')
    problems.push({ path: 'params.scope', message: 'must be fineTune or training' })
  const includeTraining = get('includeTraining')
  if (includeTraining !== undefined && includeTraining !== 'true' && includeTraining !== 'false')
    problems.push({ path: 'params.includeTraining', message: 'must be true or false' })
  const attribution = get('attribution') ?? ctx.assigner
  const purpose = get('purpose')
  const trainingLicence = get('trainingLicence')
  const unitCap = count('unitCap')
  const unitPrice = money('unitPrice', false)
  const price = money('price', name === 'exclusive' || name === 'training')
  if (problems.length > 0) throw new PolicyError('POLICY_INVALID', problems)

  const uid = (s: string): string => `${ctx.policyUid}#${s}`
  const attribute: Json = { action: 'attribute', attributedParty: attribution }
  const compensate = (left: string, amount: string, settle: string): Json => ({
    action: [
      {
        'rdf:value': { '@id': 'odrl:compensate' },
        refinement: [
          {
            leftOperand: left,
            operator: 'eq',
            rightOperand: { '@value': amount, '@type': 'xsd:decimal' },
            unit: currency,
          },
          atom('slv:settlement', 'eq', { '@id': `slv:${settle}` }),
        ],
      },
    ],
  })
  const scoped = (extra: Json[]): Json[] => [
    ...(purpose === undefined ? [] : [atom('purpose', 'eq', { '@id': purpose })]),
    ...(territory === undefined ? [] : [atom('spatial', 'isAnyOf', territory)]),
    ...extra,
  ]
  const permission: Json[] = []
  const prohibition: Json[] = []
  const trainingRules = (): void => {
    if (trainingLicence === undefined) {
      prohibition.push({ uid: uid('no-ai-training'), action: 'slv:aiTraining' })
      return
    }
    prohibition.push({
      uid: uid('no-ai-training'),
      action: 'slv:aiTraining',
      constraint: [atom('slv:heldLicence', 'neq', { '@id': trainingLicence })],
    })
    permission.push({
      uid: uid('ai-training-with-licence'),
      action: 'slv:aiTraining',
      constraint: [atom('slv:heldLicence', 'eq', { '@id': trainingLicence })],
      duty: [attribute],
    })
  }
  switch (name) {
    case 'standard':
      permission.push({
        uid: uid('print'),
        action: 'reproduce',
        constraint: scoped([atom('slv:cumulativeUnits', 'lteq', unitCap)]),
        duty:
          price === undefined
            ? [attribute]
            : [attribute, compensate('payAmount', price, 'prepaid')],
      })
      permission.push({ uid: uid('display'), action: 'display', duty: [attribute] })
      prohibition.push({ uid: uid('no-ai-training'), action: 'slv:aiTraining' })
      prohibition.push({ uid: uid('no-ai-inference'), action: 'slv:aiInference' })
      break
    case 'extended':
    case 'synthetic':
      permission.push({
        uid: uid('print-included'),
        action: 'reproduce',
        constraint: scoped([atom('slv:cumulativeUnits', 'lteq', unitCap)]),
        duty: [attribute],
      })
      permission.push({
        uid: uid('print-metered'),
        action: 'reproduce',
        constraint: scoped([atom('slv:cumulativeUnits', 'gt', unitCap)]),
        duty: [attribute, compensate('slv:unitPrice', unitPrice ?? '0', settlement ?? 'postpaid')],
      })
      permission.push({ uid: uid('display'), action: 'display', duty: [attribute] })
      if (name === 'synthetic')
        permission.push({ uid: uid('derive'), action: 'derive', duty: [attribute] })
      trainingRules()
      break
    case 'exclusive':
      permission.push({
        uid: uid('exclusive-use'),
        action: 'use',
        ...(territory === undefined ? {} : { constraint: [atom('spatial', 'isAnyOf', territory)] }),
        duty: [
          { action: 'ensureExclusivity' },
          compensate('payAmount', price as string, 'prepaid'),
          ...(params['attribution'] === undefined ? [] : [attribute]),
        ],
      })
      if (includeTraining !== 'true')
        prohibition.push({ uid: uid('no-ai-training'), action: 'slv:aiTraining' })
      break
    case 'training':
      permission.push({
        uid: uid('training'),
        action: scope === 'training' ? 'slv:aiTraining' : 'slv:fineTune',
        duty: [attribute, compensate('payAmount', price as string, 'prepaid')],
      })
      break
  }
  const policy: Json = {
    '@context': [ODRL_CONTEXT_IRI, { slv: SLV_NS }],
    '@type': 'Offer',
    uid: ctx.policyUid,
    profile: PROFILE_IRI,
    conflict: 'prohibit',
    assigner: ctx.assigner,
    target: ctx.target,
    permission,
    ...(prohibition.length === 0 ? {} : { prohibition }),
  }
  parsePolicy(policy)
  return policy
}
