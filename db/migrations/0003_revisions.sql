CREATE TABLE "pending_authors" (
	"entity_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "pending_authors_entity_id_user_id_pk" PRIMARY KEY("entity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"snapshot" text,
	"patch" jsonb,
	"sha256" text NOT NULL,
	"authors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"size" integer NOT NULL,
	"size_delta" integer NOT NULL,
	"created_by" uuid,
	"restored_from" uuid,
	"cited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pending_authors" ADD CONSTRAINT "pending_authors_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_authors" ADD CONSTRAINT "pending_authors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_parent_id_revisions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_restored_from_revisions_id_fk" FOREIGN KEY ("restored_from") REFERENCES "public"."revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_entity_number_idx" ON "revisions" USING btree ("entity_id","number");--> statement-breakpoint
CREATE INDEX "revisions_created_idx" ON "revisions" USING btree ("created_at");--> statement-breakpoint
-- Revisions are immutable: only cited_at may be set (once). A cited revision cannot be
-- deleted; a restored-from one is protected by the restored_from foreign key.
CREATE FUNCTION revisions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.cited_at IS NOT NULL THEN
      RAISE EXCEPTION 'revision % has been cited and cannot be deleted', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.entity_id, NEW.number, NEW.parent_id, NEW.kind, NEW.summary, NEW.snapshot, NEW.patch, NEW.sha256, NEW.authors, NEW.size, NEW.size_delta, NEW.restored_from, NEW.created_at)
     IS DISTINCT FROM (OLD.entity_id, OLD.number, OLD.parent_id, OLD.kind, OLD.summary, OLD.snapshot, OLD.patch, OLD.sha256, OLD.authors, OLD.size, OLD.size_delta, OLD.restored_from, OLD.created_at)
     OR (OLD.cited_at IS NOT NULL AND NEW.cited_at IS DISTINCT FROM OLD.cited_at) THEN
    RAISE EXCEPTION 'revision % is immutable', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER revisions_guard BEFORE UPDATE OR DELETE ON revisions FOR EACH ROW EXECUTE FUNCTION revisions_guard();
