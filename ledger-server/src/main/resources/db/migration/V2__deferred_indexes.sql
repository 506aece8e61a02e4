-- Indexes a rebuild (fanz read-model rebuild) dropped while it loads rows, to be built again when it ends: their
-- definitions as the catalog gave them. A rebuild that is interrupted leaves rows here; the next open of the
-- read model builds them before anything else runs (ReadModelDatabase, DeferredIndexes).
create table deferred_indexes (
    name        varchar(64) primary key,
    definition  text not null
);
