import type { Asset } from '../../core/archive/index.js'
import {
  type LineageEdge,
  type PriceModel,
  type RevenueSplit,
  splitRevenue,
  upstreamRates,
} from '../../core/metering/index.js'
import { type CompiledPolicy, parsePolicy } from '../../core/policy/index.js'
import type { AgreementRecord, Store } from '../ports.js'

/** How usage of one kind under one grant is priced. */
export interface MeterPrice {
  readonly model: PriceModel
  readonly settlement: 'prepaid' | 'postpaid'
  /**
   * `licence`: the licence's threshold rule, counted over the grant's whole life (free up to T
   * cumulative units). `plan`: a studio price plan, counted per billing period.
   */
  readonly source: 'licence' | 'plan'
  /** The price plan id, for `plan`. */
  readonly planId?: string
}

/** Revenue settings of an instance: the designers' pool and the platform's fee. */
export interface RoyaltySettings {
  /** Share of a charge (after upstream royalties and the platform fee) paid to the designers. */
  readonly designerPoolBps: number
  readonly platformFeeBps: number
}

export const DEFAULT_ROYALTY_SETTINGS: RoyaltySettings = {
  designerPoolBps: 5000,
  platformFeeBps: 0,
}

/**
 * The price of `kind` usage under an agreement: the threshold rule of the licence it was made
 * under (a permission charging `slv:unitPrice` above `cumulativeUnits`), which applies to
 * `units`; else the studio's price plan for the asset and kind; else null (counted, not charged).
 */
export async function meterPrice(
  store: Store,
  agreement: AgreementRecord,
  kind: string,
  policies: Map<string, CompiledPolicy>,
): Promise<MeterPrice | null> {
  if (kind === 'units') {
    const key = `${agreement.assetId}/${agreement.licenceVersion}`
    let policy = policies.get(key)
    if (policy === undefined) {
      const record = await store.licences.version(
        agreement.studioId,
        agreement.assetId,
        agreement.licenceVersion,
      )
      if (record !== null) {
        policy = parsePolicy(record.policy)
        policies.set(key, policy)
      }
    }
    const threshold = policy === undefined ? null : thresholdRule(policy)
    if (threshold !== null) return threshold
  }
  const plan = await store.prices.current(agreement.studioId, agreement.assetId, kind)
  if (plan === null) return null
  return { model: plan.model, settlement: 'postpaid', source: 'plan', planId: plan.id }
}

function thresholdRule(policy: CompiledPolicy): MeterPrice | null {
  for (const rule of policy.rules) {
    if (rule.kind !== 'permission') continue
    for (const duty of rule.duties) {
      if (duty.action !== 'compensate' || duty.price?.kind !== 'unit') continue
      return {
        model: {
          kind: 'threshold',
          currency: duty.price.currency,
          freeUnits: rule.priceThreshold,
          unitPrice: duty.price.amount.text,
        },
        settlement: duty.settlement,
        source: 'licence',
      }
    }
  }
  return null
}

/**
 * Splits a charge on `asset`: the platform fee, each ancestor's royalty along the lineage (the
 * stated `royaltyBps` of each link, stacking), the designers' pool by their shares, and the
 * studio's remainder. Ancestors' own lineage is read from the store.
 */
export async function splitCharge(
  store: Store,
  asset: Asset,
  totalMinor: number,
  settings: RoyaltySettings,
): Promise<RevenueSplit> {
  const lineage = new Map<string, readonly LineageEdge[]>()
  const edgesOf = (a: Asset): LineageEdge[] =>
    a.metadata.lineage.map((l) => ({
      relation: l.relation,
      assetId: l.assetId,
      royaltyBps: l.royaltyBps ?? 0,
    }))
  lineage.set(asset.id, edgesOf(asset))
  // Load ancestors breadth-first so that the pure walk below sees the whole graph.
  const queue = [...(lineage.get(asset.id) ?? [])].map((e) => e.assetId)
  while (queue.length > 0) {
    const id = queue.shift() as string
    if (lineage.has(id)) continue
    const ancestor = await store.assets.get(asset.studioId, id)
    const edges = ancestor === null ? [] : edgesOf(ancestor)
    lineage.set(id, edges)
    for (const e of edges) if (!lineage.has(e.assetId)) queue.push(e.assetId)
  }
  const designers = asset.metadata.designers
  const shares = designers.reduce((s, d) => s + d.shareBps, 0)
  return splitRevenue({
    totalMinor,
    platformFeeBps: settings.platformFeeBps,
    designerPoolBps: settings.designerPoolBps,
    designers:
      shares === 10_000
        ? designers.map((d) => ({ designerId: d.designerId, shareBps: d.shareBps }))
        : [],
    upstream: capUpstream(
      upstreamRates(asset.id, (id) => lineage.get(id) ?? []),
      10_000 - settings.platformFeeBps,
    ),
  })
}

// The platform's fee comes first: ancestors share at most what it leaves, nearest first.
function capUpstream(
  rates: readonly { readonly assetId: string; readonly bps: number }[],
  room: number,
): { assetId: string; bps: number }[] {
  let left = room
  return rates.map((r) => {
    const bps = Math.max(0, Math.min(r.bps, left))
    left -= bps
    return { assetId: r.assetId, bps }
  })
}
