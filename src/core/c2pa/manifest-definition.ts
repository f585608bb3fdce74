import type { AuthorshipStep } from '../provenance/index.js'
import { digitalSourceTypeIri } from '../provenance/index.js'

/** A CAWG training-and-data-mining answer (CAWG Training and Data Mining assertion 1.1 §5.2). */
export type TrainingUse = 'allowed' | 'notAllowed' | 'constrained'

/** The CAWG training-and-data-mining entry keys, in the order they are written. */
export const TRAINING_MINING_KEYS = [
  'cawg.ai_generative_training',
  'cawg.ai_training',
  'cawg.ai_inference',
  'cawg.data_mining',
] as const

/** One CAWG training-and-data-mining entry key. */
export type TrainingMiningKey = (typeof TRAINING_MINING_KEYS)[number]

/** How a licence's stance on an action reads in the file (see `trainingUseOf`). */
export type LicenceStance = 'never' | 'conditional' | 'always'

/** An archive asset this work derives from, as a C2PA ingredient. */
export interface IngredientFacts {
  readonly assetId: string
  readonly title: string
  /** The media type of the ingredient's current file. */
  readonly format: string
  /** SHA-256 of that file. */
  readonly sha256: string
}

/** Everything the manifest states, gathered by the app from the archive, journal and licence. */
export interface ManifestFacts {
  readonly title: string
  /** `image/png` or `image/jpeg`. */
  readonly format: string
  readonly claimGenerator: { readonly name: string; readonly version: string }
  /** The tier's IPTC digital source type IRI; null while the tier is unknown. */
  readonly tierSourceType: string | null
  /** The authorship journal, oldest first, each step with its `when` resolved. */
  readonly steps: readonly (AuthorshipStep & { readonly when: string })[]
  /**
   * The assets of the asset's lineage, in lineage order. The first is the parent (`parentOf`),
   * the others are components (`componentOf`). Empty for an original work.
   */
  readonly lineage: readonly IngredientFacts[]
  readonly licence: {
    /** The public licence page (`xmpRights:WebStatement`). */
    readonly url: string
    /** Where an offer for the constrained uses can be read (the same page, by default). */
    readonly offerUrl: string
    /** `dc:rights`. */
    readonly rights: string
    /** `dc:creator`. */
    readonly creators: readonly string[]
    /** The agreement this copy was made under (`plus:LicenseID`), when there is one. */
    readonly licenseId?: string
  }
  /** The CAWG answer for each training-and-data-mining use. */
  readonly training: Readonly<Record<TrainingMiningKey, TrainingUse>>
}

/** An ingredient as the C2PA manifest definition carries it, with the label actions cite. */
export interface IngredientDefinition {
  readonly title: string
  readonly format: string
  readonly relationship: 'parentOf' | 'componentOf'
  /** The id the actions assertion uses to cite this ingredient. */
  readonly label: string
  readonly instance_id: string
}

/** One assertion of the manifest definition. */
export interface AssertionDefinition {
  readonly label: string
  readonly data: unknown
  /** `Json` for JSON-LD assertions (CAWG metadata); CBOR otherwise. */
  readonly kind?: 'Json'
}

/**
 * A C2PA manifest definition (the JSON the C2PA SDKs' builders take), without ingredients'
 * bytes: those go with `ingredients`, matched by `label`.
 */
export interface ManifestDefinition {
  readonly claim_generator_info: readonly { readonly name: string; readonly version: string }[]
  readonly title: string
  readonly format: string
  readonly assertions: readonly AssertionDefinition[]
}

/** What `buildManifestDefinition` returns: the definition, and the ingredients to attach. */
export interface ManifestPlan {
  readonly definition: ManifestDefinition
  /** In order; the first is the parent of a derived work. Each names its asset for its file. */
  readonly ingredients: readonly (IngredientDefinition & { readonly assetId: string })[]
}

// Selvedge's own action for choosing among AI candidates, as a C2PA custom action: C2PA 2.1
// §18.14.4.2 reserves the `c2pa.` prefix; others use a reverse-domain label.
const SELECTED_ACTION = 'dev.selvedge.selected'
const GENERATIVE_DEFAULT = digitalSourceTypeIri('trainedAlgorithmicMedia')

/**
 * Maps a licence stance to a CAWG answer: `always` is `allowed`, `never` is `notAllowed`, and
 * `conditional` (a paid, limited or per-party permission) is `constrained`, pointing at the offer.
 * `permitted` says that this copy's own agreement already permits the use.
 */
export function trainingUseOf(stance: LicenceStance, permitted = false): TrainingUse {
  if (permitted) return 'allowed'
  switch (stance) {
    case 'always':
      return 'allowed'
    case 'never':
      return 'notAllowed'
    case 'conditional':
      return 'constrained'
  }
}

/**
 * Builds the manifest definition of an export (pure): a `c2pa.actions.v2` assertion from the
 * journal (first `c2pa.created` with the tier's digital source type, or `c2pa.opened` citing
 * the parent ingredient for a derived work), `cawg.training-mining` from the licence,
 * `cawg.metadata` with the licence URL, rights and creators, and the lineage as ingredients.
 * No thumbnail is asked for.
 */
export function buildManifestDefinition(facts: ManifestFacts): ManifestPlan {
  const ingredients = facts.lineage.map((l, i) => ({
    assetId: l.assetId,
    title: l.title,
    format: l.format,
    relationship: i === 0 ? ('parentOf' as const) : ('componentOf' as const),
    label: `ingredient-${i + 1}`,
    instance_id: `xmp:iid:sha256:${l.sha256}`,
  }))
  const parent = ingredients[0]
  const first: Record<string, unknown> =
    parent === undefined
      ? {
          action: 'c2pa.created',
          ...(facts.tierSourceType === null ? {} : { digitalSourceType: facts.tierSourceType }),
        }
      : { action: 'c2pa.opened', parameters: { ingredientIds: [parent.label] } }
  const components = ingredients.slice(1)
  const actions: Record<string, unknown>[] = [
    first,
    ...components.map((c) => ({ action: 'c2pa.placed', parameters: { ingredientIds: [c.label] } })),
    ...facts.steps.map(stepAction),
  ]
  const assertions: AssertionDefinition[] = [
    { label: 'c2pa.actions.v2', data: { actions } },
    { label: 'cawg.training-mining', data: { entries: trainingEntries(facts) } },
    { label: 'cawg.metadata', kind: 'Json', data: metadata(facts) },
  ]
  return {
    definition: {
      claim_generator_info: [facts.claimGenerator],
      title: facts.title,
      format: facts.format,
      assertions,
    },
    ingredients,
  }
}

function stepAction(step: AuthorshipStep & { readonly when: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { action: actionLabel(step.action), when: step.when }
  const agent = softwareAgent(step)
  if (agent !== null) out['softwareAgent'] = agent
  const source =
    step.digitalSourceType ?? (step.actor.kind === 'ai' ? GENERATIVE_DEFAULT : undefined)
  if (source !== undefined) out['digitalSourceType'] = source
  if (step.rationale !== undefined) out['parameters'] = { description: step.rationale }
  return out
}

// C2PA 2.1 §18.14.4.3: `c2pa.created` and `c2pa.opened` may only be the first action; a later
// journal step recorded with either is an edit of the work in hand.
function actionLabel(action: AuthorshipStep['action']): string {
  if (action === 'slv.selected') return SELECTED_ACTION
  if (action === 'c2pa.created' || action === 'c2pa.opened') return 'c2pa.edited'
  return action
}

function softwareAgent(
  step: AuthorshipStep,
): { readonly name: string; readonly version?: string } | null {
  const named = (name: string, version: string | undefined) =>
    version === undefined ? { name } : { name, version }
  if (step.actor.model !== undefined) return named(step.actor.model.name, step.actor.model.version)
  if (step.actor.tool !== undefined) return named(step.actor.tool.name, step.actor.tool.version)
  if (step.actor.kind !== 'human') return { name: step.actor.name }
  return null
}

function trainingEntries(facts: ManifestFacts): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const key of TRAINING_MINING_KEYS) {
    const use = facts.training[key]
    out[key] =
      use === 'constrained' ? { use, constraint_info: facts.licence.offerUrl } : { use: use }
  }
  return out
}

function metadata(facts: ManifestFacts): Record<string, unknown> {
  const l = facts.licence
  return {
    '@context': {
      dc: 'http://purl.org/dc/elements/1.1/',
      xmpRights: 'http://ns.adobe.com/xap/1.0/rights/',
      plus: 'http://ns.useplus.org/ldf/xmp/1.0/',
    },
    'dc:title': facts.title,
    'dc:rights': l.rights,
    'dc:creator': [...l.creators],
    'xmpRights:WebStatement': l.url,
    'xmpRights:Marked': true,
    ...(l.licenseId === undefined ? {} : { 'plus:LicenseID': l.licenseId }),
  }
}
