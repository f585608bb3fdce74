/** A duty the agreement carries over from the decision. */
export interface AgreementDuty {
  readonly action: 'attribute' | 'compensate'
  readonly attributedParty?: string
  /** The price of this agreement as a decimal in major units (`"40.00"`) and its currency. */
  readonly amount?: { readonly decimal: string; readonly currency: string }
  readonly settlement?: 'prepaid' | 'postpaid'
}

/** What an agreement binds: one assignee, one action on one target, narrowed to the request. */
export interface AgreementTerms {
  readonly uid: string
  readonly profile: string
  readonly assigner: string
  readonly assignee: string
  readonly target: string
  /** Expanded action IRI. */
  readonly action: string
  /** Units granted by this agreement (a `count` cap). */
  readonly units?: number
  /** Territories (ISO 3166-1 alpha-2) the use is limited to. */
  readonly territory?: readonly string[]
  /** Purpose IRI the use is limited to. */
  readonly purpose?: string
  /** ISO 8601 instants: valid from, and valid until (exclusive). */
  readonly notBefore: string
  readonly notAfter: string
  readonly duties: readonly AgreementDuty[]
  /** The offer it was made from (`dct:source`). */
  readonly offer: string
}

const XSD_DATE_TIME = 'xsd:dateTime'

/**
 * The ODRL 2.2 `Agreement` for a permit, as compact JSON-LD: one permission for the assignee
 * whose constraints narrow the offer to the request (units, territory, purpose, dates) and whose
 * duties are the ones the decision named, with the price fixed as a flat `payAmount`.
 */
export function buildAgreementDocument(t: AgreementTerms): Record<string, unknown> {
  const constraint: Record<string, unknown>[] = []
  if (t.units !== undefined) {
    constraint.push({ leftOperand: 'count', operator: 'lteq', rightOperand: t.units })
  }
  if (t.territory !== undefined && t.territory.length > 0) {
    constraint.push(
      t.territory.length === 1
        ? { leftOperand: 'spatial', operator: 'eq', rightOperand: t.territory[0] }
        : { leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: [...t.territory] },
    )
  }
  if (t.purpose !== undefined) {
    constraint.push({ leftOperand: 'purpose', operator: 'eq', rightOperand: { '@id': t.purpose } })
  }
  constraint.push(
    {
      leftOperand: 'dateTime',
      operator: 'gteq',
      rightOperand: { '@value': t.notBefore, '@type': XSD_DATE_TIME },
    },
    {
      leftOperand: 'dateTime',
      operator: 'lt',
      rightOperand: { '@value': t.notAfter, '@type': XSD_DATE_TIME },
    },
  )
  const permission: Record<string, unknown> = {
    uid: `${t.uid}#permission`,
    target: t.target,
    assigner: t.assigner,
    assignee: t.assignee,
    action: t.action,
    constraint,
  }
  const duties = t.duties.map((d, i) => dutyDocument(d, `${t.uid}#duty-${i + 1}`))
  if (duties.length > 0) permission['duty'] = duties
  return {
    '@context': 'http://www.w3.org/ns/odrl.jsonld',
    '@type': 'Agreement',
    uid: t.uid,
    profile: t.profile,
    'dct:source': t.offer,
    assigner: t.assigner,
    assignee: t.assignee,
    target: t.target,
    permission: [permission],
  }
}

function dutyDocument(d: AgreementDuty, uid: string): Record<string, unknown> {
  switch (d.action) {
    case 'attribute':
      return {
        uid,
        action: 'attribute',
        ...(d.attributedParty === undefined ? {} : { attributedParty: d.attributedParty }),
      }
    case 'compensate': {
      const refinement: Record<string, unknown>[] = []
      if (d.amount !== undefined) {
        refinement.push({
          leftOperand: 'payAmount',
          operator: 'eq',
          rightOperand: { '@value': d.amount.decimal, '@type': 'xsd:decimal' },
          unit: d.amount.currency,
        })
      }
      if (d.settlement !== undefined) {
        refinement.push({
          leftOperand: 'slv:settlement',
          operator: 'eq',
          rightOperand: { '@id': `slv:${d.settlement}` },
        })
      }
      return { uid, action: 'compensate', ...(refinement.length > 0 ? { refinement } : {}) }
    }
  }
}
