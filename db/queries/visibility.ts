import { inArray, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** Who is reading: enough to decide which entities they may see. */
export type Reader = { isAdmin: boolean; groupIds: string[] };

/**
 * The SQL condition "this entity row is readable by `reader`": public entities, entities of
 * the reader's groups, everything for admins. `table` may be an alias of `entities`.
 */
export function readableBy(reader: Reader, table: { visibility: AnyPgColumn; groupId: AnyPgColumn }): SQL | undefined {
  if (reader.isAdmin) return undefined;
  return or(sql`${table.visibility} = 'public'`, reader.groupIds.length ? inArray(table.groupId, reader.groupIds) : undefined);
}

/** The same condition for raw SQL over an `entities` alias (`e`). */
export function readableSql(reader: Reader, alias: string): SQL {
  if (reader.isAdmin) return sql`true`;
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  if (!reader.groupIds.length) return sql`${col('visibility')} = 'public'`;
  return sql`(${col('visibility')} = 'public' or ${col('group_id')} in (${sql.join(reader.groupIds.map((id) => sql`${id}::uuid`), sql`, `)}))`;
}
