export type { Checkpoint, ParsedCheckpoint } from './checkpoint.js'
export { formatCheckpoint, parseCheckpoint } from './checkpoint.js'
export type { VerifiedCosignature } from './cosignature.js'
export { cosignCheckpoint, formatCosignatureLine, verifyCosignatures } from './cosignature.js'
export { cosignatureMessage } from './cosignature-message.js'
export { decodeEntryBundle, encodeEntryBundle, MAX_ENTRY_SIZE } from './entry-bundle.js'
export type { Hash } from './hash.js'
export { EMPTY_TREE_HASH, HASH_SIZE, hashesEqual, leafHash, nodeHash } from './hash.js'
export { formatHashLines, parseHashLines } from './hash-lines.js'
export { memoryTree } from './memory-tree.js'
export {
  consistencyProofIndexes,
  inclusionProofIndexes,
  proveConsistency,
  proveInclusion,
  treeHash,
  treeHashIndexes,
} from './merkle-tree.js'
export type { VerifierKey } from './note-key.js'
export {
  formatVerifierKey,
  formatWitnessVerifierKey,
  noteKeyId,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE,
  SIGNATURE_TYPE_ED25519,
  witnessKeyId,
} from './note-key.js'
export type { ProofFile } from './proof-file.js'
export { formatProofFile, PROOF_FILE_HEADER, parseProofFile } from './proof-file.js'
export type { NoteSignature, NoteSigner, OpenedNote } from './signed-note.js'
export { openNote, signNote } from './signed-note.js'
export type { HashReader } from './stored-hash.js'
export {
  splitStoredHashIndex,
  storedHashCount,
  storedHashesForRecord,
  storedHashesForRecordIndexes,
  storedHashIndex,
} from './stored-hash.js'
export type { TileRef } from './tile-path.js'
export { parseTilePath, TILE_HEIGHT, TILE_WIDTH, tilePath } from './tile-path.js'
export {
  decodeHashTile,
  encodeHashTile,
  hashTileIndexes,
  isTileInTree,
  newTilesForSizes,
  tileEntryRange,
  tilesForSize,
} from './tiles.js'
export type { TlogErrorCode } from './tlog-error.js'
export { TlogError } from './tlog-error.js'
export { MAX_TREE_SIZE } from './tree-bounds.js'
export { verifyConsistency, verifyInclusion } from './verify-proof.js'
export type { VerifyProofFileInput, VerifyProofFileResult } from './verify-proof-file.js'
export { verifyProofFile } from './verify-proof-file.js'
export type { AddCheckpointRequest } from './witness-request.js'
export { formatAddCheckpointRequest, parseAddCheckpointRequest } from './witness-request.js'
