import { createPrivateKey, createPublicKey, type KeyObject, webcrypto } from 'node:crypto'
import type * as X509 from '@peculiar/x509'
import type { CertificateAuthority, GeneratedPki, ImportedSigner } from '../../app/ports.js'
import { CredentialError } from '../../core/c2pa/index.js'

/** The C2PA claim-signing extended key usage (C2PA 2.1 §14.5.1, `id-kp-c2pa-claim-signing`). */
export const C2PA_CLAIM_SIGNING_EKU = '1.3.6.1.4.1.62558.2.1'
const EMAIL_PROTECTION_EKU = '1.3.6.1.5.5.7.3.4'
const ANY_EKU = '2.5.29.37.0'
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 24 * 3600 * 1000
const ROOT_DAYS = 20 * 365
const INTERMEDIATE_DAYS = 10 * 365
const LEAF_DAYS = 2 * 365
// Allow for clocks a little behind the signer's.
const BACKDATE_MS = 5 * 60 * 1000

let loaded: Promise<typeof X509> | null = null

// @peculiar/x509 pulls in tsyringe, which needs Reflect metadata before it loads.
function x509(): Promise<typeof X509> {
  loaded ??= (async () => {
    // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API loaded first.
    await import('reflect-metadata')
    const lib = await import('@peculiar/x509')
    lib.cryptoProvider.set(webcrypto as unknown as Parameters<typeof lib.cryptoProvider.set>[0])
    return lib
  })()
  return loaded
}

function importInvalid(message: string, cause?: unknown): CredentialError {
  return new CredentialError(
    'CREDENTIAL_IMPORT_INVALID',
    message,
    cause === undefined ? undefined : { cause },
  )
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] ?? 0) & 0x7f // a positive INTEGER (RFC 5280 §4.1.2.2)
  return Buffer.from(bytes).toString('hex')
}

/**
 * Certificates for Content Credentials with @peculiar/x509 over Node's WebCrypto: a studio's
 * own three-level PKI (ECDSA P-256, ES256), checks of imported chains, trust-anchor parsing.
 */
export class X509CertificateAuthority implements CertificateAuthority {
  async createStudioPki(opts: { studioName: string; now: Date }): Promise<GeneratedPki> {
    const lib = await x509()
    const subtle = webcrypto.subtle
    const notBefore = new Date(opts.now.getTime() - BACKDATE_MS)
    const days = (n: number) => new Date(opts.now.getTime() + n * DAY_MS)
    // Structured UTF8String values: the library's plain-string form mis-parses quotes and commas.
    const name = (cn: string) =>
      new lib.Name([{ CN: [{ utf8String: cn }] }, { O: [{ utf8String: opts.studioName }] }])
    const generate = () =>
      subtle.generateKey(EC_P256, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>

    const rootKeys = await generate()
    const root = await lib.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: name(`${opts.studioName} Content Credentials Root CA`),
      notBefore,
      notAfter: days(ROOT_DAYS),
      keys: rootKeys,
      signingAlgorithm: EC_P256,
      extensions: [
        new lib.BasicConstraintsExtension(true, undefined, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
        await lib.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    })
    const intermediateKeys = await generate()
    const intermediate = await lib.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: name(`${opts.studioName} Content Credentials Intermediate CA`),
      issuer: root.subjectName,
      notBefore,
      notAfter: days(INTERMEDIATE_DAYS),
      publicKey: intermediateKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: EC_P256,
      extensions: [
        new lib.BasicConstraintsExtension(true, 0, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
        await lib.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
        await lib.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    })
    const leafKeys = await generate()
    const leafNotAfter = days(LEAF_DAYS)
    const leaf = await lib.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: name(`${opts.studioName} Content Credentials Claim Signer`),
      issuer: intermediate.subjectName,
      notBefore,
      notAfter: leafNotAfter,
      publicKey: leafKeys.publicKey,
      signingKey: intermediateKeys.privateKey,
      signingAlgorithm: EC_P256,
      extensions: [
        new lib.BasicConstraintsExtension(false, undefined, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
        new lib.ExtendedKeyUsageExtension([C2PA_CLAIM_SIGNING_EKU, EMAIL_PROTECTION_EKU]),
        await lib.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
        await lib.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey),
      ],
    })
    const pkcs8 = async (key: webcrypto.CryptoKey) =>
      new Uint8Array(await subtle.exportKey('pkcs8', key))
    return {
      algorithm: 'es256',
      rootPem: `${root.toString('pem')}\n`,
      chainPem: `${leaf.toString('pem')}\n${intermediate.toString('pem')}\n`,
      leafKeyPkcs8: await pkcs8(leafKeys.privateKey),
      rootKeyPkcs8: await pkcs8(rootKeys.privateKey),
      intermediateKeyPkcs8: await pkcs8(intermediateKeys.privateKey),
      notAfter: leafNotAfter.toISOString(),
    }
  }

  async inspectImport(chainPem: string, keyPem: string, now: Date): Promise<ImportedSigner> {
    const lib = await x509()
    const certs = await parseCertificates(lib, chainPem, importInvalid)
    const leaf = certs[0]
    if (leaf === undefined) throw importInvalid('the chain holds no PEM certificate')
    let key: KeyObject
    try {
      key = createPrivateKey({ key: keyPem, format: 'pem' })
    } catch (cause) {
      throw importInvalid('the private key is not a PEM private key', cause)
    }
    const algorithm = signingAlgorithm(key)
    const keySpki = createPublicKey(key).export({ format: 'der', type: 'spki' })
    if (!Buffer.from(leaf.publicKey.rawData).equals(keySpki)) {
      throw importInvalid('the private key does not belong to the first certificate of the chain')
    }
    const constraints = leaf.getExtension(lib.BasicConstraintsExtension)
    if (constraints?.ca === true) throw importInvalid('the signing certificate is a CA')
    const usage = leaf.getExtension(lib.KeyUsagesExtension)
    if (usage === null || (usage.usages & lib.KeyUsageFlags.digitalSignature) === 0) {
      throw importInvalid('the signing certificate does not allow digitalSignature')
    }
    const eku = leaf.getExtension(lib.ExtendedKeyUsageExtension)
    if (eku?.usages.map(String).includes(ANY_EKU) === true) {
      throw importInvalid('C2PA refuses a signing certificate with anyExtendedKeyUsage')
    }
    for (const cert of certs) {
      if (cert.notBefore > now || cert.notAfter < now) {
        throw importInvalid(`certificate ${cert.subject} is not valid now`)
      }
    }
    for (let i = 0; i + 1 < certs.length; i++) {
      const child = certs[i] as X509.X509Certificate
      const issuer = certs[i + 1] as X509.X509Certificate
      const signed = await child.verify({ publicKey: issuer.publicKey, signatureOnly: true })
      if (!signed || child.issuer !== issuer.subject) {
        throw importInvalid(
          `certificate ${i + 1} of the chain is not issued by certificate ${i + 2}`,
        )
      }
    }
    const last = certs[certs.length - 1] as X509.X509Certificate
    const hasRoot = certs.length > 1 && (await last.isSelfSigned())
    const chain = hasRoot ? certs.slice(0, -1) : certs
    return {
      algorithm,
      chainPem: chain.map((c) => `${c.toString('pem')}\n`).join(''),
      rootPem: hasRoot ? `${last.toString('pem')}\n` : null,
      leafKeyPkcs8: new Uint8Array(key.export({ format: 'der', type: 'pkcs8' })),
      notAfter: leaf.notAfter.toISOString(),
    }
  }

  async parseTrustAnchors(pem: string): Promise<string> {
    const lib = await x509()
    const certs = await parseCertificates(
      lib,
      pem,
      (message, cause) =>
        new CredentialError(
          'CREDENTIAL_TRUST_INVALID',
          message,
          cause === undefined ? undefined : { cause },
        ),
    )
    if (certs.length === 0) {
      throw new CredentialError('CREDENTIAL_TRUST_INVALID', 'the trust anchors hold no certificate')
    }
    return certs.map((c) => `${c.toString('pem')}\n`).join('')
  }
}

async function parseCertificates(
  lib: typeof X509,
  pem: string,
  fail: (message: string, cause?: unknown) => CredentialError,
): Promise<X509.X509Certificate[]> {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  return blocks.map((block, i) => {
    try {
      return new lib.X509Certificate(block)
    } catch (cause) {
      throw fail(`PEM certificate ${i + 1} cannot be parsed`, cause)
    }
  })
}

// C2PA 2.1 §13.2: ES256/384/512 on the matching NIST curves, PS256/384/512 on RSA, Ed25519.
function signingAlgorithm(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519'
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve
      if (curve === 'prime256v1' || curve === 'P-256') return 'es256'
      if (curve === 'secp384r1' || curve === 'P-384') return 'es384'
      if (curve === 'secp521r1' || curve === 'P-521') return 'es512'
      throw importInvalid(`EC curve ${curve ?? 'unknown'} cannot sign C2PA claims`)
    }
    case 'rsa':
    case 'rsa-pss':
      return 'ps256'
    default:
      throw importInvalid(`a ${key.asymmetricKeyType ?? 'unknown'} key cannot sign C2PA claims`)
  }
}
