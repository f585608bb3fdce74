import {
  cosignCheckpoint,
  EMPTY_TREE_HASH,
  formatWitnessVerifierKey,
  hashesEqual,
  openNote,
  parseAddCheckpointRequest,
  parseCheckpoint,
  parseVerifierKey,
  TlogError,
  verifyConsistency,
} from '../../core/tlog/index.js'
import type { KeyRing } from '../key-ring.js'
import type { Clock, Store } from '../ports.js'
import { WitnessError } from './log-error.js'

/** What a witness answers to an `add-checkpoint` it accepts or finds out of date. */
export type AddCheckpointOutcome =
  | { readonly kind: 'cosigned'; readonly cosignatures: string }
  | { readonly kind: 'conflict'; readonly size: number }

export const DEFAULT_WITNESS_NAME = 'selvedge.local/witness'

/**
 * A C2SP tlog-witness: it verifies each submitted checkpoint against the logs it is configured
 * with, checks consistency with the checkpoint it last cosigned for that origin, records the new
 * one (compare-and-set, so two racing requests cannot roll a log back) and returns a v1
 * cosignature (type 0x04) made with the instance's `witness` key.
 */
export class WitnessService {
  private readonly logs = new Map<string, string[]>()

  /** Throws `LOG_VKEY_INVALID` for a malformed log verifier key. */
  constructor(
    private readonly deps: {
      readonly store: Store
      readonly keyRing: KeyRing
      readonly clock: Clock
      readonly name: string
      /** Verifier keys of the logs this witness cosigns; each key's name is the log origin. */
      readonly logVkeys: readonly string[]
    },
  ) {
    for (const vkey of deps.logVkeys) {
      const origin = parseVerifierKey(vkey).name
      this.logs.set(origin, [...(this.logs.get(origin) ?? []), vkey])
    }
  }

  /** The witness's name. */
  get name(): string {
    return this.deps.name
  }

  /** The witness verifier key, `name+keyid+base64(0x04 ‖ public key)`. */
  async vkey(): Promise<string> {
    const signer = await this.deps.keyRing.signer(null, 'witness')
    return formatWitnessVerifierKey(this.deps.name, signer.publicKey)
  }

  /**
   * Handles an `add-checkpoint` body. Returns the cosignature lines, or `conflict` with the size
   * last cosigned when the request's old size is stale (409 with `text/x.tlog.size`). Throws
   * `WitnessError` with the code of each refusal the specification lists.
   */
  async addCheckpoint(body: string): Promise<AddCheckpointOutcome> {
    let request: ReturnType<typeof parseAddCheckpointRequest>
    try {
      request = parseAddCheckpointRequest(body)
    } catch (error) {
      throw refusal('WITNESS_REQUEST_INVALID', error)
    }
    const text = checkpointText(request.checkpoint)
    let checkpoint: ReturnType<typeof parseCheckpoint>
    try {
      checkpoint = parseCheckpoint(text)
    } catch (error) {
      throw refusal('WITNESS_REQUEST_INVALID', error)
    }
    const vkeys = this.logs.get(checkpoint.origin)
    if (vkeys === undefined) {
      throw new WitnessError('WITNESS_LOG_UNKNOWN', `unknown log origin ${checkpoint.origin}`)
    }
    try {
      openNote(request.checkpoint, vkeys)
    } catch (error) {
      throw refusal('WITNESS_SIGNATURE_UNTRUSTED', error)
    }
    if (request.oldSize > checkpoint.size) {
      throw new WitnessError(
        'WITNESS_OLD_SIZE_INVALID',
        `old size ${request.oldSize} exceeds the checkpoint size ${checkpoint.size}`,
      )
    }
    const { store } = this.deps
    const state = await store.witness.get(checkpoint.origin)
    const recordedSize = state?.size ?? 0
    const recordedRoot = state?.rootHash ?? EMPTY_TREE_HASH
    if (request.oldSize !== recordedSize) return { kind: 'conflict', size: recordedSize }
    if (request.oldSize === checkpoint.size) {
      if (!hashesEqual(recordedRoot, checkpoint.rootHash)) {
        throw new WitnessError(
          'WITNESS_ROOT_MISMATCH',
          `a checkpoint of size ${checkpoint.size} with another root was cosigned before`,
        )
      }
    } else if (
      !verifyConsistency(
        request.oldSize,
        checkpoint.size,
        recordedRoot,
        checkpoint.rootHash,
        request.proof,
      )
    ) {
      throw new WitnessError(
        'WITNESS_PROOF_INVALID',
        `the consistency proof from ${request.oldSize} to ${checkpoint.size} does not verify`,
      )
    }
    const isAdvanced = await store.witness.advance(
      state === null ? null : { size: state.size, rootHash: state.rootHash },
      {
        origin: checkpoint.origin,
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
        updatedAt: this.deps.clock.nowIso(),
      },
    )
    if (!isAdvanced) {
      // Another request moved the state between our read and write: answer as for a stale one.
      const now = await store.witness.get(checkpoint.origin)
      return { kind: 'conflict', size: now?.size ?? 0 }
    }
    const signer = await this.deps.keyRing.signer(null, 'witness')
    const timestamp = Math.floor(Date.parse(this.deps.clock.nowIso()) / 1000)
    const line = cosignCheckpoint(
      text,
      { name: this.deps.name, publicKey: signer.publicKey, sign: (m) => signer.sign(m) },
      timestamp,
    )
    return { kind: 'cosigned', cosignatures: line }
  }
}

function checkpointText(note: string): string {
  const blank = note.indexOf('\n\n')
  if (blank < 0) throw new WitnessError('WITNESS_REQUEST_INVALID', 'the checkpoint is not a note')
  return note.slice(0, blank + 1)
}

function refusal(
  code: 'WITNESS_REQUEST_INVALID' | 'WITNESS_SIGNATURE_UNTRUSTED',
  error: unknown,
): WitnessError {
  if (error instanceof TlogError) return new WitnessError(code, error.message, { cause: error })
  throw error
}
