import { createPrivateKey, sign } from 'node:crypto'
import type { Hash } from './hash.js'
import { EMPTY_TREE_HASH, leafHash, nodeHash } from './hash.js'
import type { NoteSigner } from './signed-note.js'
import type { HashReader } from './stored-hash.js'
import { storedHashesForRecord } from './stored-hash.js'

// Helpers shared by this module's tests; not exported from index.ts.

/** An append-only in-memory stored-hash array, as the log's storage would keep it. */
export class MemoryTree {
  readonly stored: Hash[] = []
  readonly leaves: Hash[] = []
  readonly read: HashReader = (indexes) =>
    indexes.map((i) => {
      const h = this.stored[i]
      if (h === undefined) throw new Error(`no stored hash ${i}`)
      return h
    })

  /** Appends one entry and returns its index. */
  append(entry: Uint8Array): number {
    return this.appendLeaf(leafHash(entry))
  }

  /** Appends one leaf hash and returns its index. */
  appendLeaf(leaf: Hash): number {
    const n = this.leaves.length
    this.stored.push(...storedHashesForRecord(n, leaf, this.read))
    this.leaves.push(leaf)
    return n
  }

  get size(): number {
    return this.leaves.length
  }
}

/** A tree of `size` leaves whose entries are the decimal index as text. */
export function treeOfSize(size: number): MemoryTree {
  const tree = new MemoryTree()
  const enc = new TextEncoder()
  for (let i = 0; i < size; i++) tree.append(enc.encode(`entry ${i}`))
  return tree
}

/** The RFC 9162 §2.1.1 MTH by direct recursion, to cross-check the stored-hash algorithms. */
export function naiveRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_TREE_HASH
  if (leaves.length === 1) return leaves[0] as Hash
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)))
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/** An Ed25519 note signer from a 32-byte RFC 8032 seed (tests only). */
export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  })
  return {
    name,
    publicKey: publicKeyOf(privateKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  }
}

function publicKeyOf(privateKey: ReturnType<typeof createPrivateKey>): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' })
  return new Uint8Array(Buffer.from(jwk.x as string, 'base64url'))
}

/** Hex to bytes. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** Base64 to bytes. */
export function fromBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'))
}

/** Bytes to hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes)
  const i = Math.floor(bit / 8) % copy.length
  copy[i] = (copy[i] as number) ^ (1 << (bit % 8))
  return copy
}
