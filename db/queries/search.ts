import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '@/db/client';
import { normalizeName } from '@/components/model/names';
import { readableSql, type Reader } from './visibility';
import type { SearchHit } from '@/components/model/search';

export type { SearchHit };


type Row = Omit<SearchHit, 'match'> & { match: string };

/**
 * Search: exact title and alias matches first, then names that start with the query, then
 * close spellings (trigram similarity, for typos), then Postgres full-text matches with a
 * snippet. Any input is safe: it is only ever a bound parameter.
 */
export async function searchEntities(db: Db, reader: Reader, query: string, limit = 20): Promise<SearchHit[]> {
  const norm = normalizeName(query);
  if (!norm) return [];
  const prefix = `${norm.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const result = await db.execute(sql`
    with names as (
      select n.entity_id, n.name, n.is_title,
        case when n.norm = ${norm} then 0 when n.norm like ${prefix} then 1 else 2 end as tier,
        greatest(similarity(n.norm, ${norm}), word_similarity(${norm}, n.norm)) as score
      from entity_names n
      where n.norm = ${norm} or n.norm like ${prefix} or n.norm % ${norm} or ${norm} <% n.norm
    ),
    best_name as (
      select distinct on (entity_id) entity_id, name, is_title, tier, score
      from names where tier < 2 or score >= 0.45
      order by entity_id, tier, score desc, is_title desc
    ),
    q as (select websearch_to_tsquery('english', ${query}) as tsq),
    text_hits as (
      select e.id as entity_id, ts_rank(e.search, q.tsq) as rank
      from entities e, q
      where numnode(q.tsq) > 0 and e.search @@ q.tsq
    )
    select e.id, e.slug, e.title, e.type, e.summary,
      case when b.tier = 0 and b.is_title = 1 then 'title' when b.tier = 0 then 'alias' when b.tier = 1 then 'alias' when b.entity_id is not null then 'fuzzy' else 'text' end as match,
      b.name as "matchedName",
      case when b.entity_id is null then ts_headline('english', e.search_text, (select tsq from q), 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel="[[[", StopSel="]]]"') end as snippet
    from entities e
    left join best_name b on b.entity_id = e.id
    left join text_hits t on t.entity_id = e.id
    where (b.entity_id is not null or t.entity_id is not null) and ${readableSql(reader, 'e')}
    order by coalesce(b.tier, 3), b.score desc nulls last, t.rank desc nulls last, e.title
    limit ${limit}
  `);
  const rows = resultRows<Row>(result);
  return rows.map((r) => ({ ...r, match: r.match as SearchHit['match'] }));
}
