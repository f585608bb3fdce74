import type { RightValue } from './compiled.js'
import type { LeftOperandKey } from './vocabulary.js'
import { ODRL_NS, REGIONS, regionName, SLV_NS, shortName } from './vocabulary.js'

export interface CompiledActionLike {
  readonly iri: string
}

const ACTION_WORDS: Record<string, string> = {
  [`${ODRL_NS}use`]: 'use the pattern in any way',
  [`${ODRL_NS}reproduce`]: 'print or manufacture copies',
  [`${ODRL_NS}distribute`]: 'distribute copies',
  [`${ODRL_NS}display`]: 'display the pattern',
  [`${ODRL_NS}derive`]: 'make derivative designs',
  [`${SLV_NS}generateVariants`]: 'generate variants',
  [`${SLV_NS}aiTraining`]: 'use it to train AI models',
  [`${SLV_NS}fineTune`]: 'use it to fine-tune AI models (e.g. LoRA)',
  [`${SLV_NS}aiInference`]: 'use it as a reference or conditioning input to an AI model',
}

/** An action in plain words. */
export function actionPhrase(iri: string): string {
  return ACTION_WORDS[iri] ?? shortName(iri)
}

const LEFT_WORDS: Record<LeftOperandKey, string> = {
  purpose: 'the purpose',
  spatial: 'the territory',
  dateTime: 'the date',
  count: 'the number of units in the request',
  cumulativeUnits: 'the total units used (including this request)',
  industry: 'the industry',
  product: 'the product',
  heldLicence: 'the licences held',
  resolution: 'the resolution (dpi)',
}

/** A left operand in plain words. */
export function leftPhrase(k: LeftOperandKey): string {
  return LEFT_WORDS[k]
}

function words(iri: string): string {
  const s = shortName(iri).replace(/^slv:/, '')
  return s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/** A right operand in plain words. */
export function valuePhrase(k: LeftOperandKey, r: RightValue): string {
  const list = Array.isArray(r) ? (r as readonly (string | number)[]) : [r as string | number]
  if (k === 'spatial') {
    for (const [name, members] of REGIONS)
      if (members.size === list.length && list.every((c) => members.has(c as string)))
        return regionName(name)
    return list.map((c) => regionName(c as string)).join(', ')
  }
  if (k === 'dateTime') return list.map((x) => new Date(x as number).toISOString()).join(', ')
  if (typeof list[0] === 'string' && k !== 'heldLicence')
    return list.map((x) => words(x as string)).join(', ')
  return list.map(String).join(', ')
}
