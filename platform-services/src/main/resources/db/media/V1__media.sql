-- The media service's assets: uploaded files (stored once per SHA-256 in AssetStorage), their checksums and
-- perceptual hashes, the links to posts and 2257 records, and the index that finds near-duplicates.

CREATE TABLE assets (
    id uuid PRIMARY KEY,
    -- creation order, for listing cursors
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    filename varchar(255) NOT NULL,
    content_type varchar(32) NOT NULL,
    size bigint NOT NULL,
    sha256 char(64) NOT NULL,
    -- 64-bit DCT pHash and dHash of images (null for videos and images without a Java decoder)
    phash bigint,
    dhash bigint,
    width int,
    height int,
    duplicate_of uuid,
    -- 'possible-reupload' when another creator's asset is perceptually near
    review varchar(32),
    created timestamp with time zone NOT NULL,
    deleted timestamp with time zone
);

CREATE INDEX assets_tenant_creator ON assets (tenant, creator, seq);
CREATE INDEX assets_tenant_seq ON assets (tenant, seq);
CREATE INDEX assets_sha256 ON assets (sha256);

-- The near-duplicates found when the asset was uploaded (other creators' assets, any brand).
CREATE TABLE asset_similar (
    asset_id uuid NOT NULL,
    similar_id uuid NOT NULL,
    distance int NOT NULL,
    CONSTRAINT asset_similar_pk PRIMARY KEY (asset_id, similar_id),
    CONSTRAINT asset_similar_asset FOREIGN KEY (asset_id) REFERENCES assets (id)
);

-- The second key to assets is kept from jOOQ's generator, which would make clashing many-to-many paths of it.
/* [jooq ignore start] */
ALTER TABLE asset_similar ADD CONSTRAINT asset_similar_match FOREIGN KEY (similar_id) REFERENCES assets (id);
/* [jooq ignore stop] */

-- What an asset is used by: content references ('content') and the compliance service's 2257 records
-- ('performer'), in the order given.
CREATE TABLE asset_links (
    asset_id uuid NOT NULL REFERENCES assets (id),
    kind varchar(16) NOT NULL,
    ref varchar(128) NOT NULL,
    position int NOT NULL,
    PRIMARY KEY (asset_id, kind, ref)
);

CREATE INDEX asset_links_by_ref ON asset_links (kind, ref);

-- The pHash split into 11 bands (ten of 6 bits, one of 4): two hashes within Hamming distance 10 agree on
-- at least one band, so looking up the 11 (band, value) pairs finds every such asset (see PerceptualIndex).
CREATE TABLE phash_bands (
    band smallint NOT NULL,
    value smallint NOT NULL,
    asset_id uuid NOT NULL REFERENCES assets (id),
    PRIMARY KEY (band, value, asset_id)
);

CREATE INDEX phash_bands_asset ON phash_bands (asset_id);
