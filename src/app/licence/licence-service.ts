import { type Caller, requirePermission } from '../../core/access/index.js'
import { ArchiveError, type Asset } from '../../core/archive/index.js'
import { buildAgreementDocument, type GrantClaims, grantIssuer } from '../../core/grant/index.js'
import {
  actionStance,
  type CompiledPolicy,
  DEFAULT_TEMPLATE,
  type Decision,
  type DecisionRequest,
  decide,
  defaultTemplateFor,
  describePolicy,
  type PolicyTemplateName,
  PROFILE_IRI,
  parsePolicy,
  policyFromTemplate,
  type WorldState,
} from '../../core/policy/index.js'
import { AppError } from '../../core/shared/index.js'
import type { AgreementRecord, Clock, IdSource, LicenceVersionRecord, Store } from '../ports.js'
import { StorageError } from '../storage-error.js'
import type { GrantService } from './grant-service.js'
import { agreementIri, assetIri, licenceIri, studioIri } from './iris.js'
import { LicenceError } from './licence-error.js'
import { type LicenceRequestInput, parseLicenceRequest } from './licence-request.js'
import { minorToDecimal } from './money-text.js'

/** How a licence is given: a template with parameters, or a policy document. */
export type LicenceInput =
  | {
      readonly kind: 'template'
      readonly template: string
      readonly params: Readonly<Record<string, unknown>>
    }
  | { readonly kind: 'policy'; readonly policy: unknown }

/** An attached licence as the API and CLI show it. */
export interface LicenceView {
  readonly assetId: string
  readonly version: number
  readonly source: string
  /** The offer, ODRL JSON-LD. */
  readonly policy: Readonly<Record<string, unknown>>
  /** The offer in plain words. */
  readonly description: string
  readonly createdAt: string
}

/** What making an agreement produced. */
export type AgreementOutcome =
  | {
      readonly kind: 'agreed'
      readonly decision: Decision
      readonly agreement: Readonly<Record<string, unknown>>
      readonly agreementId: string
      readonly grant: string
      readonly grantId: string
    }
  | { readonly kind: 'refused'; readonly decision: Decision }

/**
 * Settles a payment-required decision's prepaid fee inside the agreement's transaction: debits
 * the assignee's wallet, or throws (`WALLET_INSUFFICIENT`) and nothing is agreed.
 */
export type Prepay = (
  tx: Store,
  p: {
    readonly studioId: string
    readonly assetId: string
    readonly party: string
    readonly amount: { readonly minor: number; readonly currency: string }
    readonly agreementId: string
  },
) => Promise<void>

/** One TDMRep rule (W3C TDMRep §3.3, the JSON file at `/.well-known/tdmrep.json`). */
export interface TdmRepRule {
  readonly location: string
  readonly 'tdm-reservation': 0 | 1
  readonly 'tdm-policy'?: string
}

/** The public URL of an asset's licence (its offer as JSON-LD): `xmpRights:WebStatement`. */
export function publicLicenceUrl(baseUrl: string, assetId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/licences/${encodeURIComponent(assetId)}`
}

/** Default lifetime of an agreement and its grant when the offer sets no end date. */
export const DEFAULT_GRANT_TTL_SECONDS = 365 * 24 * 3600

const TRAINING = 'slv:aiTraining'

/**
 * Licences on assets: attach (each change a new version), read, decide, and turn a permit into
 * an agreement with a signed grant. Decisions use the stored state: the assignee's units of the
 * asset so far, the licences they hold, and whether the asset's exclusivity is sold.
 */
export class LicenceService {
  private readonly compiled = new Map<string, CompiledPolicy>()

  constructor(
    private readonly deps: {
      store: Store
      ids: IdSource
      clock: Clock
      grants: GrantService
      grantTtlSeconds?: number
      /** Pays prepaid duties from the assignee's wallet; without it they are always refused. */
      prepay?: Prepay
    },
  ) {}

  /**
   * Attaches a licence to an asset as its next version. The template `default` resolves to
   * `synthetic` when the asset's provenance tier is `synthetic` and to `standard` otherwise (the
   * version's `source` names the template used). Throws `POLICY_INVALID` (with each problem's
   * JSON path) for an invalid policy or template parameters, leaving the previous licence
   * attached; `ASSET_NOT_FOUND` for an unknown asset.
   */
  async attach(caller: Caller, assetId: string, input: LicenceInput): Promise<LicenceView> {
    requirePermission(caller, 'asset.write')
    const { store } = this.deps
    const asset = await store.assets.get(caller.studioId, assetId)
    if (asset === null) throw assetNotFound(assetId)
    const uid = licenceIri(this.deps.ids.next('lic'))
    const context = {
      policyUid: uid,
      assigner: studioIri(caller.studioId),
      target: assetIri(assetId),
    }
    let policy: Record<string, unknown>
    let source: string
    switch (input.kind) {
      case 'template': {
        // `default` picks by provenance: synthetic work gets the synthetic template.
        const template =
          input.template === DEFAULT_TEMPLATE
            ? defaultTemplateFor(await store.authorship.tier(caller.studioId, assetId))
            : input.template
        policy = policyFromTemplate(
          template as PolicyTemplateName,
          templateParams(input.params),
          context,
        )
        source = `template:${template}`
        break
      }
      case 'policy':
        policy = withDefaults(input.policy, context)
        source = 'policy'
        break
    }
    parsePolicy(policy)
    const base = { studioId: caller.studioId, assetId, policy, source, createdBy: caller.keyId }
    let record: LicenceVersionRecord
    try {
      record = await store.licences.append({ ...base, createdAt: this.deps.clock.nowIso() })
    } catch (err) {
      // Two attaches raced for the same version number: the later one takes the next.
      if (!(err instanceof StorageError && err.code === 'STORAGE_CONFLICT')) throw err
      record = await store.licences.append({ ...base, createdAt: this.deps.clock.nowIso() })
    }
    return this.view(record)
  }

  /** The asset's current licence. Throws `ASSET_NOT_FOUND` or `LICENCE_NOT_FOUND`. */
  async current(caller: Caller, assetId: string): Promise<LicenceView> {
    await this.visibleAsset(caller, assetId)
    const record = await this.deps.store.licences.current(caller.studioId, assetId)
    if (record === null) throw licenceNotFound(assetId)
    return this.view(record)
  }

  /** Every licence version of the asset, oldest first (studio members only). */
  async history(caller: Caller, assetId: string): Promise<LicenceView[]> {
    requirePermission(caller, 'asset.readPrivate')
    await this.visibleAsset(caller, assetId)
    const records = await this.deps.store.licences.versions(caller.studioId, assetId)
    return records.map((r) => this.view(r))
  }

  /**
   * Decides a request against the asset's current licence and the stored state. Outside parties
   * decide for themselves only: their `assignee` is their key's party. Throws
   * `LICENCE_REQUEST_INVALID` or `POLICY_REQUEST_INVALID` for a malformed request.
   */
  async decide(caller: Caller, assetId: string, rawRequest: unknown): Promise<Decision> {
    const input = parseLicenceRequest(rawRequest)
    await this.visibleAsset(caller, assetId)
    const { store } = this.deps
    const licence = await store.licences.current(caller.studioId, assetId)
    if (licence === null) throw licenceNotFound(assetId)
    const request = this.requestFor(caller, assetId, input)
    const now = this.deps.clock.nowIso()
    const state = await worldState(store, caller.studioId, assetId, request.assignee, now)
    return decide(this.compile(licence), request, state, now)
  }

  /**
   * Evaluates the request and, on a permit, mints an ODRL Agreement for the assignee narrowed to
   * the request, stores it and signs a grant token. The decision, the state it reads and the
   * write happen in one transaction holding the asset's agreement lock, so two buyers of an
   * exclusive licence cannot both win. Licensee and agent keys act for their own party; owner
   * keys may name any assignee. A deny or payment-required outcome is returned as `refused`.
   */
  async createAgreement(
    caller: Caller,
    assetId: string,
    rawRequest: unknown,
  ): Promise<AgreementOutcome> {
    if (caller.role !== 'owner' && caller.role !== 'licensee' && caller.role !== 'agent') {
      requirePermission(caller, 'key.manage')
    }
    const input = parseLicenceRequest(rawRequest)
    await this.visibleAsset(caller, assetId)
    const request = this.requestFor(caller, assetId, input)
    // Load (or create) the grant key before the transaction: creating it writes to the store.
    await this.deps.grants.jwks(caller.studioId)
    try {
      return await this.agreeOnce(caller.studioId, assetId, request)
    } catch (err) {
      // The exclusive sale's unique key caught a race the lock did not (it cannot on SQLite or
      // PostgreSQL, but the rule holds for any store): decide again, now seeing the sale.
      if (!(err instanceof StorageError && err.code === 'STORAGE_CONFLICT')) throw err
      return this.agreeOnce(caller.studioId, assetId, request)
    }
  }

  /** The agreement by id, for the studio or for its assignee. */
  async agreement(caller: Caller, id: string): Promise<AgreementRecord> {
    const record = await this.deps.store.agreements.get(caller.studioId, id)
    const isMember =
      caller.role === 'owner' || caller.role === 'designer' || caller.role === 'auditor'
    if (record === null || (!isMember && record.assignee !== caller.party)) {
      throw new LicenceError('AGREEMENT_NOT_FOUND', `no agreement ${id}`)
    }
    return record
  }

  /**
   * Revokes an agreement (owners): its grant exports nothing from now on and usage under it
   * from the revocation on is refused. Idempotent: revoking again keeps the first instant.
   * Throws `AGREEMENT_NOT_FOUND`.
   */
  async revokeAgreement(
    caller: Caller,
    id: string,
    reason?: string,
  ): Promise<{ readonly agreementId: string; readonly revokedAt: string }> {
    requirePermission(caller, 'key.manage')
    const { store, clock } = this.deps
    const record = await store.agreements.get(caller.studioId, id)
    if (record === null) throw new LicenceError('AGREEMENT_NOT_FOUND', `no agreement ${id}`)
    await store.agreements.revoke(caller.studioId, id, {
      at: clock.nowIso(),
      by: caller.keyId,
      reason: reason ?? null,
    })
    return {
      agreementId: id,
      revokedAt: (await store.agreements.revokedAt(caller.studioId, id)) as string,
    }
  }

  /** The compiled current policy of an asset (for export and TDMRep), or null. */
  async currentPolicy(
    studioId: string,
    assetId: string,
  ): Promise<{ record: LicenceVersionRecord; policy: CompiledPolicy } | null> {
    const record = await this.deps.store.licences.current(studioId, assetId)
    return record === null ? null : { record, policy: this.compile(record) }
  }

  /**
   * Whether AI training of the asset is permitted: to `assignee` when given (a permit for them
   * now, with their state), otherwise to anyone without conditions (the policy's stance is
   * `always`). The basis of `plus:DataMining` and TDMRep's reservation; conservative, so a
   * conditional or paid training licence reads as a reservation.
   */
  async isTrainingPermitted(
    studioId: string,
    assetId: string,
    policy: CompiledPolicy,
    assignee?: string,
  ): Promise<boolean> {
    if (assignee === undefined) return actionStance(policy, TRAINING) === 'always'
    const now = this.deps.clock.nowIso()
    const state = await worldState(this.deps.store, studioId, assetId, assignee, now)
    const request = { assignee, action: TRAINING, target: assetIri(assetId) }
    return decide(policy, request, state, now).outcome === 'permit'
  }

  /**
   * The studio whose documents the public routes serve: `studioId` when given and known,
   * otherwise the instance's first studio. Throws `STUDIO_NOT_INITIALISED` when there is none.
   */
  async publicStudio(studioId?: string): Promise<string> {
    const studio =
      studioId === undefined
        ? await this.deps.store.studios.first()
        : await this.deps.store.studios.get(studioId)
    if (studio === null) throw new ArchiveError('STUDIO_NOT_INITIALISED', 'no such studio')
    return studio.id
  }

  /** A published asset's current offer, for anyone. Throws `ASSET_NOT_FOUND`, `LICENCE_NOT_FOUND`. */
  async publicOffer(studioId: string, assetId: string): Promise<LicenceView> {
    const asset = await this.deps.store.assets.get(studioId, assetId)
    if (asset === null || asset.visibility !== 'published') throw assetNotFound(assetId)
    const record = await this.deps.store.licences.current(studioId, assetId)
    if (record === null) throw licenceNotFound(assetId)
    return this.view(record)
  }

  /**
   * W3C TDMRep (`/.well-known/tdmrep.json`): one rule per published, licensed asset, for the
   * paths its files are served under. `tdm-reservation` is 1 unless the licence permits AI
   * training to anyone without conditions; reserved entries link their licence as `tdm-policy`.
   */
  async tdmRep(studioId: string, baseUrl: string): Promise<TdmRepRule[]> {
    const licences = await this.deps.store.licences.currentAll(studioId)
    const rules: TdmRepRule[] = []
    for (const record of licences) {
      const asset = await this.deps.store.assets.get(studioId, record.assetId)
      if (asset === null || asset.visibility !== 'published') continue
      const open = await this.isTrainingPermitted(studioId, record.assetId, this.compile(record))
      rules.push({
        location: `/v1/assets/${record.assetId}/*`,
        'tdm-reservation': open ? 0 : 1,
        ...(open ? {} : { 'tdm-policy': publicLicenceUrl(baseUrl, record.assetId) }),
      })
    }
    return rules
  }

  private async agreeOnce(
    studioId: string,
    assetId: string,
    request: DecisionRequest,
  ): Promise<AgreementOutcome> {
    const { store, ids, clock, grants } = this.deps
    return store.transaction(async (tx) => {
      await tx.agreements.lockAsset(studioId, assetId)
      const licence = await tx.licences.current(studioId, assetId)
      if (licence === null) throw licenceNotFound(assetId)
      const now = clock.nowIso()
      const state = await worldState(tx, studioId, assetId, request.assignee, now)
      const policy = this.compile(licence)
      let decision = decide(policy, request, state, now)
      const id = ids.next('agr')
      if (decision.outcome === 'payment-required' && this.deps.prepay !== undefined) {
        const paid = await this.payInAdvance(tx, studioId, assetId, decision, id)
        if (paid !== null) decision = paid
      }
      if (decision.outcome !== 'permit' || decision.terms === undefined) {
        return { kind: 'refused', decision }
      }
      const terms = decision.terms
      const uid = agreementIri(id)
      const nowMs = Date.parse(now)
      const ttl = (this.deps.grantTtlSeconds ?? DEFAULT_GRANT_TTL_SECONDS) * 1000
      const offerEnd =
        terms.notAfter === undefined ? Number.POSITIVE_INFINITY : Date.parse(terms.notAfter)
      const expMs = Math.min(nowMs + ttl, offerEnd)
      const notBefore =
        terms.notBefore !== undefined && Date.parse(terms.notBefore) > nowMs ? terms.notBefore : now
      const territory =
        request.spatial !== undefined ? [request.spatial.toUpperCase()] : terms.territory
      const document = buildAgreementDocument({
        uid,
        profile: PROFILE_IRI,
        assigner: studioIri(studioId),
        assignee: terms.assignee,
        target: terms.target,
        action: terms.action,
        ...(terms.units === undefined ? {} : { units: terms.units }),
        ...(territory === undefined ? {} : { territory }),
        ...(terms.purpose === undefined ? {} : { purpose: terms.purpose }),
        notBefore,
        notAfter: new Date(expMs).toISOString(),
        duties: decision.duties.map((d) => ({
          action: d.action,
          ...(d.attributedParty === undefined ? {} : { attributedParty: d.attributedParty }),
          ...(d.amount === undefined
            ? {}
            : {
                amount: {
                  decimal: minorToDecimal(d.amount.minor, d.amount.currency),
                  currency: d.amount.currency,
                },
              }),
          ...(d.settlement === undefined ? {} : { settlement: d.settlement }),
        })),
        offer: policy.uid,
      })
      const grantId = Buffer.from(ids.randomBytes(8)).toString('hex')
      const record: AgreementRecord = {
        id,
        studioId,
        assetId,
        licenceVersion: licence.version,
        assignee: terms.assignee,
        action: terms.action,
        units: terms.units ?? null,
        grantId,
        licenceIds: [uid, policy.uid],
        exclusive: terms.exclusive,
        agreement: document,
        createdAt: now,
        expiresAt: new Date(expMs).toISOString(),
      }
      await tx.agreements.create(record)
      const claims: GrantClaims = {
        iss: grantIssuer(studioId),
        sub: terms.assignee,
        agreement: uid,
        assets: [assetId],
        actions: [terms.action],
        units: terms.units ?? null,
        iat: Math.floor(nowMs / 1000),
        exp: Math.floor(expMs / 1000),
        jti: grantId,
      }
      const grant = await grants.sign(studioId, claims)
      return { kind: 'agreed', decision, agreement: document, agreementId: id, grant, grantId }
    })
  }

  // The prepaid duties of a payment-required decision, paid from the wallet: the decision as
  // permitted, or null when the wallet cannot cover them (the refusal stands, with its quote).
  private async payInAdvance(
    tx: Store,
    studioId: string,
    assetId: string,
    decision: Decision,
    agreementId: string,
  ): Promise<Decision | null> {
    const prepay = this.deps.prepay
    const party = decision.terms?.assignee
    if (prepay === undefined || party === undefined) return null
    const fees = decision.duties.filter(
      (d) => d.action === 'compensate' && d.settlement === 'prepaid' && d.amount !== undefined,
    )
    const currencies = new Set(fees.map((d) => d.amount?.currency))
    if (fees.length === 0 || currencies.size !== 1) return null
    const currency = fees[0]?.amount?.currency as string
    const minor = fees.reduce((sum, d) => sum + (d.amount?.minor ?? 0), 0)
    try {
      await prepay(tx, { studioId, assetId, party, amount: { minor, currency }, agreementId })
    } catch (err) {
      if (err instanceof AppError && err.code === 'WALLET_INSUFFICIENT') return null
      throw err
    }
    return {
      ...decision,
      outcome: 'permit',
      explanation: decision.explanation.replace(
        /^Payment required:/,
        `Permitted (prepaid ${minor} minor units of ${currency} from the wallet):`,
      ),
    }
  }

  private requestFor(caller: Caller, assetId: string, input: LicenceRequestInput): DecisionRequest {
    const target = assetIri(assetId)
    if (input.target !== undefined && input.target !== target && input.target !== assetId) {
      throw new LicenceError(
        'LICENCE_REQUEST_INVALID',
        `request.target must be the asset (${target}) or be left out`,
      )
    }
    const actsForAnyone = caller.role === 'owner' || caller.role === 'designer'
    if (!actsForAnyone && input.assignee !== undefined && input.assignee !== caller.party) {
      throw new LicenceError(
        'LICENCE_REQUEST_INVALID',
        `request.assignee must be your key's party (${caller.party}) or be left out`,
      )
    }
    return { ...input, assignee: input.assignee ?? caller.party, target }
  }

  private compile(record: LicenceVersionRecord): CompiledPolicy {
    const key = `${record.studioId}\u0000${record.assetId}\u0000${record.version}`
    let policy = this.compiled.get(key)
    if (policy === undefined) {
      policy = parsePolicy(record.policy)
      // Versions never change, so the cache only grows with attaches; keep it bounded.
      if (this.compiled.size >= 10_000) this.compiled.clear()
      this.compiled.set(key, policy)
    }
    return policy
  }

  private view(record: LicenceVersionRecord): LicenceView {
    return {
      assetId: record.assetId,
      version: record.version,
      source: record.source,
      policy: record.policy,
      description: describePolicy(this.compile(record)),
      createdAt: record.createdAt,
    }
  }

  private async visibleAsset(caller: Caller, assetId: string): Promise<Asset> {
    requirePermission(caller, 'asset.read')
    const asset = await this.deps.store.assets.get(caller.studioId, assetId)
    const isMember = caller.role === 'owner' || caller.role === 'designer'
    if (asset === null || (asset.visibility !== 'published' && !isMember)) {
      throw assetNotFound(assetId)
    }
    return asset
  }
}

/**
 * The state a decision reads: the assignee's units of this asset so far (every agreement, expired
 * or not), the licences their unexpired agreements confer, and the asset's exclusive buyer.
 */
export async function worldState(
  store: Store,
  studioId: string,
  assetId: string,
  assignee: string,
  now: string,
): Promise<WorldState> {
  const agreements = await store.agreements.listForAssignee(studioId, assignee)
  let cumulativeUnits = 0
  const held = new Set<string>()
  for (const a of agreements) {
    if (a.assetId === assetId) cumulativeUnits += a.units ?? 0
    if (a.expiresAt > now) for (const id of a.licenceIds) held.add(id)
  }
  const exclusive = await store.agreements.exclusiveHolder(studioId, assetId)
  return {
    cumulativeUnits,
    heldLicences: [...held],
    ...(exclusive === null ? {} : { exclusiveSoldTo: exclusive.assignee }),
  }
}

// A policy document supplied for an asset gets the asset's uid, assigner and target when it
// names none, so that a minimal offer ("permission: reproduce") applies to the asset it is
// attached to. A document that is not an object is passed on for the parser to report.
function withDefaults(
  doc: unknown,
  context: { policyUid: string; assigner: string; target: string },
): Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return doc as Record<string, unknown>
  const d = doc as Record<string, unknown>
  const has = (k: string) => d[k] !== undefined || d[`odrl:${k}`] !== undefined
  const rules = ['permission', 'prohibition'].flatMap((k) => {
    const v = d[k] ?? d[`odrl:${k}`]
    return Array.isArray(v) ? v : v === undefined ? [] : [v]
  })
  const ruleHas = (k: string) =>
    rules.some(
      (r) => typeof r === 'object' && r !== null && (r as Record<string, unknown>)[k] !== undefined,
    )
  return {
    ...d,
    ...(has('uid') || d['@id'] !== undefined ? {} : { uid: context.policyUid }),
    ...(has('assigner') || ruleHas('assigner') ? {} : { assigner: context.assigner }),
    ...(has('target') || ruleHas('target') ? {} : { target: context.target }),
  }
}

// Template parameters are strings; JSON numbers and booleans are taken as written.
function templateParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string') out[k] = v
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
    else throw new LicenceError('LICENCE_REQUEST_INVALID', `params.${k} must be a string or number`)
  }
  return out
}

function assetNotFound(id: string): ArchiveError {
  return new ArchiveError('ASSET_NOT_FOUND', `no asset ${id}`)
}

function licenceNotFound(assetId: string): LicenceError {
  return new LicenceError('LICENCE_NOT_FOUND', `asset ${assetId} has no licence attached`)
}
