import { z } from 'zod';
import { getDb } from '@/db/client';
import { markCited } from '@/db/queries/revisions';
import { apiRoute, parseQuery } from '@/server/http/api';
import { viewerFromRequest } from '@/server/auth/request';
import { readableRevision, siteOrigin } from '@/server/revisions/access';
import { CITE_STYLES, formatCitation } from '@/server/revisions/cite';
import { citeDataFor } from '@/server/revisions/cite-data';
import { revisionContent } from '@/server/revisions/store';

export const dynamic = 'force-dynamic';

const query = z.object({ style: z.enum(CITE_STYLES).default('apa') });
const CONTENT_TYPES = { bibtex: 'application/x-bibtex', ris: 'application/x-research-info-systems', csl: 'application/vnd.citationstyles.csl+json' } as const;

/** The revision cited in a style (apa, mla, chicago, bibtex, ris, csl). Citing a revision protects it from deletion. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ revId: string }> }) => {
  const db = getDb();
  const { style } = parseQuery(request.url, query);
  const { revId } = await params;
  const found = await readableRevision(db, viewerFromRequest(request), revId);
  await markCited(db, found.revision.id);
  const title = String((await revisionContent(db, found.revision)).fields.title ?? found.entity.title);
  const citation = formatCitation(style, citeDataFor(found, title, siteOrigin(request.url)));
  const type = style in CONTENT_TYPES ? CONTENT_TYPES[style as keyof typeof CONTENT_TYPES] : 'text/plain';
  return new Response(citation, { headers: { 'content-type': `${type}; charset=utf-8` } });
});
