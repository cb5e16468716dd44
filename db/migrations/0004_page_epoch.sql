CREATE TABLE "page_epoch" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "page_epoch" ("id", "n") VALUES (1, 0);
--> statement-breakpoint
-- Cached pages for anonymous readers (server/http/page-cache.ts) are valid while this number
-- stays the same. It goes up when a transaction that changed what such a page shows commits:
-- the bump runs as a deferred trigger, at commit, so a page rendered before the commit and
-- stored under the old number is never served after it, and the row lock is held only for the
-- last instant of the transaction (it is the last lock taken, so it cannot deadlock).
CREATE FUNCTION "bump_page_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "page_epoch" SET "n" = "n" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- An entity appears or goes; its name, address, type or access changes (live body edits do not count).
CREATE CONSTRAINT TRIGGER "entities_page_epoch" AFTER INSERT OR DELETE ON "entities"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_page_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "entities_page_epoch_update" AFTER UPDATE ON "entities"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."slug" IS DISTINCT FROM NEW."slug" OR OLD."title" IS DISTINCT FROM NEW."title" OR OLD."type" IS DISTINCT FROM NEW."type"
    OR OLD."visibility" IS DISTINCT FROM NEW."visibility" OR OLD."group_id" IS DISTINCT FROM NEW."group_id" OR OLD."protected" IS DISTINCT FROM NEW."protected")
  EXECUTE FUNCTION "bump_page_epoch"();
--> statement-breakpoint
-- A revision is added (histories, "revision N of M") or removed.
CREATE CONSTRAINT TRIGGER "revisions_page_epoch" AFTER INSERT OR DELETE ON "revisions"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_page_epoch"();
--> statement-breakpoint
-- Source titles name the references; a group's name stands as the author of its pages' citations.
CREATE CONSTRAINT TRIGGER "sources_page_epoch" AFTER INSERT OR UPDATE OR DELETE ON "sources"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_page_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "groups_page_epoch" AFTER UPDATE OR DELETE ON "groups"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_page_epoch"();
