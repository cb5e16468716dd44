import { getDb } from '@/db/client';
import { latestRevisionRef } from '@/db/queries/revisions';
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
  const { revision, entity } = await readableRevision(db, await viewerFromRequest(request), (await params).revId);
  const [content, latest] = await Promise.all([revisionContent(db, revision), latestRevisionRef(db, entity.id)]);
  return Response.json({
    ...presentRevision(revision),
    entity: { id: entity.id, slug: entity.slug, title: entity.title, type: entity.type },
    of: latest?.number ?? revision.number,
    json: content,
    html: bodyToHtml(content.body),
    text: bodyToText(content.body).trim(),
    hash: revision.sha256,
  });
});
