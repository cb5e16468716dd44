-- A compaction deletes a doc's log rows, often the last rows of the table, and a VACUUM follows
-- (server/collab/update-log.ts). By default that VACUUM then gives the emptied pages at the end
-- back to the file system, and to do that it takes the table's exclusive lock and scans every
-- shared buffer: every editor's next write waits. Measured (one writer inserting every 2 ms, a
-- compaction and a VACUUM every 500 ms, shared_buffers = 4GB): VACUUM 10–12 ms against
-- 0.7–0.8 ms without giving pages back, and one insert held up 47 ms. The log's pages are
-- reused by its next rows anyway.
ALTER TABLE "entity_updates" SET (vacuum_truncate = false);
