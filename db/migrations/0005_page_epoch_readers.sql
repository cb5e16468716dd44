-- The page cache keeps a copy of a page per signed-in reader, keyed by their name, admin flag
-- and group roles as read when the request arrives. A change to those that commits while
-- such a page renders must not leave a copy filed under the reader's old roles: it bumps the
-- epoch too, as every other change a page shows does (0004).
CREATE CONSTRAINT TRIGGER "group_members_page_epoch" AFTER INSERT OR UPDATE OR DELETE ON "group_members"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_page_epoch"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "users_page_epoch" AFTER UPDATE ON "users"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."username" IS DISTINCT FROM NEW."username" OR OLD."is_admin" IS DISTINCT FROM NEW."is_admin")
  EXECUTE FUNCTION "bump_page_epoch"();
