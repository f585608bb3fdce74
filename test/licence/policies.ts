// Policies used by the licence tests. KNOWN_ANSWER is the example of issue 3: "commercial print
// allowed up to 10,000 units with attribution; above that 0.02 EUR per unit, postpaid; AI
// training prohibited unless a training licence is held".

export const CONTEXT = [
  'http://www.w3.org/ns/odrl.jsonld',
  { slv: 'https://selvedge.dev/ns/odrl/v1#' },
]
export const PROFILE = 'https://selvedge.dev/ns/odrl/v1'
export const STUDIO_PARTY = 'https://example.com/studio'
export const TRAINING_LICENCE = 'https://example.com/licences/training'

const purpose = {
  leftOperand: 'purpose',
  operator: 'eq',
  rightOperand: { '@id': 'slv:commercialPrint' },
}
const attribute = { action: 'attribute', attributedParty: STUDIO_PARTY }

export function knownAnswerPolicy(
  uid = 'https://example.com/policies/ka-1',
): Record<string, unknown> {
  return {
    '@context': CONTEXT,
    '@type': 'Offer',
    uid,
    profile: PROFILE,
    conflict: 'prohibit',
    assigner: STUDIO_PARTY,
    permission: [
      {
        uid: `${uid}#print`,
        action: 'reproduce',
        constraint: [
          purpose,
          { leftOperand: 'slv:cumulativeUnits', operator: 'lteq', rightOperand: 10000 },
        ],
        duty: [attribute],
      },
      {
        uid: `${uid}#print-metered`,
        action: 'reproduce',
        constraint: [
          purpose,
          { leftOperand: 'slv:cumulativeUnits', operator: 'gt', rightOperand: 10000 },
        ],
        duty: [
          attribute,
          {
            action: [
              {
                'rdf:value': { '@id': 'odrl:compensate' },
                refinement: [
                  {
                    leftOperand: 'slv:unitPrice',
                    operator: 'eq',
                    rightOperand: { '@value': '0.02', '@type': 'xsd:decimal' },
                    unit: 'EUR',
                  },
                  {
                    leftOperand: 'slv:settlement',
                    operator: 'eq',
                    rightOperand: { '@id': 'slv:postpaid' },
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        uid: `${uid}#training`,
        action: 'slv:aiTraining',
        constraint: [
          {
            leftOperand: 'slv:heldLicence',
            operator: 'eq',
            rightOperand: { '@id': TRAINING_LICENCE },
          },
        ],
      },
    ],
    prohibition: [
      {
        uid: `${uid}#no-training`,
        action: 'slv:aiTraining',
        constraint: [
          {
            leftOperand: 'slv:heldLicence',
            operator: 'neq',
            rightOperand: { '@id': TRAINING_LICENCE },
          },
        ],
      },
    ],
  }
}

/** A free training licence: agreements under it confer `TRAINING_LICENCE`. */
export function trainingOffer(): Record<string, unknown> {
  return {
    '@context': CONTEXT,
    '@type': 'Offer',
    uid: TRAINING_LICENCE,
    profile: PROFILE,
    conflict: 'prohibit',
    assigner: STUDIO_PARTY,
    permission: [
      { uid: `${TRAINING_LICENCE}#fine-tune`, action: 'slv:fineTune', duty: [attribute] },
    ],
  }
}

/** An exclusive buyout paid after the fact, so that the test can buy it without a wallet. */
export function exclusiveOffer(
  uid = 'https://example.com/policies/exclusive',
): Record<string, unknown> {
  return {
    '@context': CONTEXT,
    '@type': 'Offer',
    uid,
    profile: PROFILE,
    conflict: 'prohibit',
    assigner: STUDIO_PARTY,
    permission: [
      {
        uid: `${uid}#buyout`,
        action: 'use',
        duty: [
          { action: 'ensureExclusivity' },
          {
            action: [
              {
                'rdf:value': { '@id': 'odrl:compensate' },
                refinement: [
                  {
                    leftOperand: 'payAmount',
                    operator: 'eq',
                    rightOperand: { '@value': '500.00', '@type': 'xsd:decimal' },
                    unit: 'EUR',
                  },
                  {
                    leftOperand: 'slv:settlement',
                    operator: 'eq',
                    rightOperand: { '@id': 'slv:postpaid' },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  }
}
