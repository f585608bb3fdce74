import type { Caller } from '../core/access/index.js'
import { demoPatterns } from '../core/demo/index.js'
import type { AssetService } from './asset-service.js'
import type { ImageCodec } from './ports.js'

/**
 * Fills an empty archive with the deterministic demo patterns (every repeat type, several
 * palettes), declared with their true repeats, published so that outside keys can see them.
 * Idempotent: a file already in the archive is returned, not duplicated.
 */
export async function seedDemoArchive(
  deps: { assets: AssetService; codec: ImageCodec },
  caller: Caller,
): Promise<{ created: number; existing: number }> {
  let created = 0
  let existing = 0
  for (const p of demoPatterns()) {
    const bytes = await deps.codec.encodePng(p.image)
    const r = await deps.assets.ingest(caller, {
      bytes,
      filename: `${p.slug}.png`,
      metadata: {
        title: p.title,
        tags: p.tags,
        motifs: p.motifs,
        collection: p.collection,
        designers: [{ name: p.designer }],
        repeat: { type: p.repeat, tileWidthPx: p.tileWidth, tileHeightPx: p.tileHeight },
        visibility: 'published',
      },
    })
    if (r.status === 'created') created++
    else existing++
  }
  return { created, existing }
}
