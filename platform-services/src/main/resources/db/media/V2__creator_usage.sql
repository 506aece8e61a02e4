-- A creator's quota is checked on every upload by summing the sizes of their live assets (every brand's):
-- this index answers that from the index alone.
/* [jooq ignore start] */
CREATE INDEX assets_creator_live ON assets (creator) INCLUDE (size) WHERE deleted IS NULL;
/* [jooq ignore stop] */
