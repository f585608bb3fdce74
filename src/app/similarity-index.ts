import { MihIndex } from '../core/pdq/index.js'
import type { Store } from './ports.js'

/** PDQ's rule: hashes of quality below 50 are too unstable to match on. */
export const MIN_MATCH_QUALITY = 50
/** PDQ's rule: two images match when their hashes differ in at most 31 of 256 bits. */
export const DEFAULT_MATCH_DISTANCE = 31

/**
 * Per-studio multi-index-hashing indexes over the current PDQ hash of every asset, built from
 * the store on first use and kept current by the asset service. In a multi-process deployment
 * each process builds its own from the database.
 */
export class SimilarityIndex {
  private readonly byStudio = new Map<string, MihIndex>()
  private loading: Promise<void> | null = null

  constructor(private readonly store: Store) {}

  /** Asset ids within `maxDistance` of `pdqHash` in that studio, nearest first. */
  async search(
    studioId: string,
    pdqHash: string,
    maxDistance = DEFAULT_MATCH_DISTANCE,
  ): Promise<{ id: string; distance: number }[]> {
    await this.load()
    return this.byStudio.get(studioId)?.search(pdqHash, maxDistance) ?? []
  }

  /** Adds or replaces an asset's hash; hashes below the match quality are left out. */
  async put(studioId: string, assetId: string, pdqHash: string, quality: number): Promise<void> {
    await this.load()
    this.insert(studioId, assetId, pdqHash, quality)
  }

  private insert(studioId: string, assetId: string, pdqHash: string, quality: number): void {
    let index = this.byStudio.get(studioId)
    if (index === undefined) {
      index = new MihIndex()
      this.byStudio.set(studioId, index)
    }
    index.remove(assetId)
    if (quality >= MIN_MATCH_QUALITY) index.add(assetId, pdqHash)
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      for (const row of await this.store.assets.pdqHashes()) {
        this.insert(row.studioId, row.assetId, row.pdqHash, row.pdqQuality)
      }
    })().catch((err: unknown) => {
      // A failed load is retried by the next caller instead of poisoning the index.
      this.loading = null
      throw err
    })
    return this.loading
  }
}
