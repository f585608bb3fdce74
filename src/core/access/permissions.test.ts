import { describe, expect, it } from 'vitest'
import { ROLES } from '../archive/index.js'
import { can, isAbsoluteIri } from './permissions.js'

describe('permissions', () => {
  it('gives outside parties read access only, and key management to owners only', () => {
    for (const role of ROLES) {
      expect(can(role, 'asset.read')).toBe(true)
      expect(can(role, 'key.manage')).toBe(role === 'owner')
      expect(can(role, 'asset.write')).toBe(role === 'owner' || role === 'designer')
      expect(can(role, 'asset.readPrivate')).toBe(role === 'owner' || role === 'designer')
      expect(can(role, 'forensics.scan')).toBe(
        role === 'owner' || role === 'designer' || role === 'auditor',
      )
    }
  })
})

describe('isAbsoluteIri', () => {
  it.each([
    'https://acme.example/licensing',
    'urn:selvedge:party:1',
    'did:web:agent.example',
    'mailto:a@b.example',
  ])('accepts %s', (iri) => expect(isAbsoluteIri(iri)).toBe(true))
  it.each([
    '',
    'acme',
    '/relative/path',
    'https://a b',
    'https://a\u0001b',
    '1http://x',
    `x:${'a'.repeat(2000)}`,
  ])('refuses %j', (iri) => expect(isAbsoluteIri(iri)).toBe(false))
})
