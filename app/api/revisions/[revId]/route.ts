import { getDb } from '@/db/client';
import { apiRoute } from '@/server/http/api';
import { viewerFromRequest } from '@/server/auth/request';
import { presentRevision } from '@/server/presenters/revision';
import { readableRevision } from '@/server/revisions/access';
import { revisionContent } from '@/server/revisions/store';
import { bodyToText } from '@/server/docs/body-text';
import { bodyToHtml } from '@/server/docs/body-html';

export const dynamic = 'force-dynamic';

/** One revision: its canonical JSON, the body as HTML (through the schema) and as text, its hash and authors. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ revId: string }> }) => {
  const db = getDb();
  const { revId } = await params;
  const { revision, entity, latest } = await readableRevision(db, viewerFromRequest(request), revId);
  const content = await revisionContent(db, revision);
  return Response.json({
    ...presentRevision(revision),
    entity: { id: entity.id, slug: entity.slug, title: entity.title, type: entity.type },
    of: latest.number,
    json: content,
    html: bodyToHtml(content.body),
    text: bodyToText(content.body).trim(),
    hash: revision.sha256,
  });
});
