import { type ProvenanceTier, tierDigitalSourceType } from '../provenance/index.js'

const TIERS: readonly ProvenanceTier[] = ['human-made', 'human-directed', 'synthetic']

/**
 * The provenance tier a file states, read back from the digital source type Selvedge writes for
 * it (the inverse of `tierDigitalSourceType`); `unknown` for any other value or none.
 */
export function tierOfSourceType(iri: string | null | undefined): ProvenanceTier {
  return TIERS.find((tier) => tierDigitalSourceType(tier) === iri) ?? 'unknown'
}

/**
 * The digital source type a manifest's actions assertion states: the `digitalSourceType` of its
 * first action when that is `c2pa.created`; null otherwise. `data` is untrusted JSON.
 */
export function createdSourceType(
  assertions: readonly { readonly label: string; readonly data: unknown }[],
): string | null {
  const actions = assertions.find(
    (a) => a.label === 'c2pa.actions.v2' || a.label === 'c2pa.actions',
  )
  const list = (actions?.data as { actions?: unknown } | undefined)?.actions
  if (!Array.isArray(list)) return null
  const first = list[0] as { action?: unknown; digitalSourceType?: unknown } | undefined
  return first?.action === 'c2pa.created' && typeof first.digitalSourceType === 'string'
    ? first.digitalSourceType
    : null
}
