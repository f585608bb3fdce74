// The IRIs Selvedge names its own things by. Asset and agreement ids are unique across the
// instance, so these need no studio part.

/** The IRI of an asset, the `target` of its licences. */
export function assetIri(assetId: string): string {
  return `urn:selvedge:asset:${assetId}`
}

/** The IRI of a studio as a party (the `assigner` of its offers, a grant's `iss`). */
export function studioIri(studioId: string): string {
  return `urn:selvedge:studio:${studioId}`
}

/** The IRI of an agreement (its ODRL `uid`, `plus:LicenseID`, the grant's `agreement`). */
export function agreementIri(agreementId: string): string {
  return `urn:selvedge:agreement:${agreementId}`
}

/** The IRI of an attached licence version's policy (its ODRL `uid`). */
export function licenceIri(licenceId: string): string {
  return `urn:selvedge:licence:${licenceId}`
}
