import type { Kysely, Migration } from 'kysely'

// Portable types only: text ids and ISO timestamps, integer/bigint counts, text JSON documents,
// double precision for CIELAB. Keys lead with studio_id so that every lookup is tenant-scoped
// and composite foreign keys stop a row from pointing into another studio.

/** Studios, keys, designers, collections, assets, versions and the asset index tables. */
export const archiveMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('studios')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('studios_created_idx')
      .on('studios')
      .columns(['created_at', 'id'])
      .execute()

    await db.schema
      .createTable('api_keys')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('party', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addPrimaryKeyConstraint('api_keys_pk', ['studio_id', 'id'])
      .addUniqueConstraint('api_keys_secret_uq', ['secret_sha256'])
      .addForeignKeyConstraint('api_keys_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()

    await db.schema
      .createTable('designers')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('party_iri', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('designers_pk', ['studio_id', 'id'])
      .addUniqueConstraint('designers_name_uq', ['studio_id', 'name'])
      .addForeignKeyConstraint('designers_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()

    await db.schema
      .createTable('collections')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('collections_pk', ['studio_id', 'id'])
      .addUniqueConstraint('collections_name_uq', ['studio_id', 'name'])
      .addForeignKeyConstraint('collections_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()

    await db.schema
      .createTable('assets')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('visibility', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('title_folded', 'text', (c) => c.notNull())
      .addColumn('repeat_type', 'text', (c) => c.notNull())
      .addColumn('collection_id', 'text')
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('pdq_hash', 'text', (c) => c.notNull())
      .addColumn('pdq_quality', 'double precision', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assets_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('assets_studio_fk', ['studio_id'], 'studios', ['id'])
      .addForeignKeyConstraint(
        'assets_collection_fk',
        ['studio_id', 'collection_id'],
        'collections',
        ['studio_id', 'id'],
      )
      .execute()
    // The list order is (created_at desc, id desc) within a studio; each filter column gets the
    // same suffix so a filtered page is an index range scan too.
    await db.schema
      .createIndex('assets_order_idx')
      .on('assets')
      .columns(['studio_id', 'created_at', 'id'])
      .execute()
    await db.schema
      .createIndex('assets_repeat_idx')
      .on('assets')
      .columns(['studio_id', 'repeat_type', 'created_at', 'id'])
      .execute()
    await db.schema
      .createIndex('assets_collection_idx')
      .on('assets')
      .columns(['studio_id', 'collection_id', 'created_at', 'id'])
      .execute()
    await db.schema
      .createIndex('assets_visibility_idx')
      .on('assets')
      .columns(['studio_id', 'visibility', 'created_at', 'id'])
      .execute()

    await db.schema
      .createTable('asset_versions')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('analysis', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_versions_pk', ['studio_id', 'asset_id', 'version'])
      // The same file is stored at most once per studio, whichever asset or version holds it.
      .addUniqueConstraint('asset_versions_sha256_uq', ['studio_id', 'sha256'])
      .addForeignKeyConstraint(
        'asset_versions_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()

    await db.schema
      .createTable('asset_tags')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_tags_pk', ['studio_id', 'asset_id', 'tag'])
      .addForeignKeyConstraint(
        'asset_tags_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()
    await db.schema
      .createIndex('asset_tags_tag_idx')
      .on('asset_tags')
      .columns(['studio_id', 'tag', 'asset_id'])
      .execute()

    await db.schema
      .createTable('asset_motifs')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('motif', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_motifs_pk', ['studio_id', 'asset_id', 'motif'])
      .addForeignKeyConstraint(
        'asset_motifs_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()
    await db.schema
      .createIndex('asset_motifs_motif_idx')
      .on('asset_motifs')
      .columns(['studio_id', 'motif', 'asset_id'])
      .execute()

    await db.schema
      .createTable('asset_designers')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('designer_id', 'text', (c) => c.notNull())
      .addColumn('share_bps', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_designers_pk', ['studio_id', 'asset_id', 'designer_id'])
      .addForeignKeyConstraint(
        'asset_designers_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint(
        'asset_designers_designer_fk',
        ['studio_id', 'designer_id'],
        'designers',
        ['studio_id', 'id'],
      )
      .execute()
    await db.schema
      .createIndex('asset_designers_designer_idx')
      .on('asset_designers')
      .columns(['studio_id', 'designer_id', 'asset_id'])
      .execute()

    await db.schema
      .createTable('asset_colours')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('hex', 'text', (c) => c.notNull())
      .addColumn('l', 'double precision', (c) => c.notNull())
      .addColumn('a', 'double precision', (c) => c.notNull())
      .addColumn('b', 'double precision', (c) => c.notNull())
      .addColumn('coverage', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_colours_pk', ['studio_id', 'asset_id', 'position'])
      .addForeignKeyConstraint(
        'asset_colours_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()
    await db.schema
      .createIndex('asset_colours_lab_idx')
      .on('asset_colours')
      .columns(['studio_id', 'l', 'a', 'b'])
      .execute()

    await db.schema
      .createTable('asset_lineage')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('target_asset_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_lineage_pk', [
        'studio_id',
        'asset_id',
        'relation',
        'target_asset_id',
      ])
      .addForeignKeyConstraint(
        'asset_lineage_asset_fk',
        ['studio_id', 'asset_id'],
        'assets',
        ['studio_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint(
        'asset_lineage_target_fk',
        ['studio_id', 'target_asset_id'],
        'assets',
        ['studio_id', 'id'],
      )
      .execute()
    await db.schema
      .createIndex('asset_lineage_target_idx')
      .on('asset_lineage')
      .columns(['studio_id', 'target_asset_id'])
      .execute()
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'asset_lineage',
      'asset_colours',
      'asset_designers',
      'asset_motifs',
      'asset_tags',
      'asset_versions',
      'assets',
      'collections',
      'designers',
      'api_keys',
      'studios',
    ]) {
      await db.schema.dropTable(table).execute()
    }
  },
}
