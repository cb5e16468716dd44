import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { resultRows, type Database } from '@/db/client';
import { entities, entityClients, entityDocs, entityUpdates, pendingAuthors, users } from '@/db/schema';
import { compactEntity, createLogVacuum, createUpdateLog } from '@/server/collab/update-log';
import { createDocumentLoader, loadEntityState } from '@/server/collab/doc-store';
import { endBackgroundCompactions, mergeUpdatesInBackground } from '@/server/collab/background-merge';
import { sleep } from '../helpers/collab';
import { openTestDatabase } from '../helpers/database';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await endBackgroundCompactions();
  await database?.close();
});

/**
 * Compacts the entity's log as the collaboration server does (on PostgreSQL on the worker thread,
 * with a connection of its own; `unlogged`: its live doc holding edits the log lacks).
 */
const compact = (entityId: string, unlogged: Y.Doc | null) => compactEntity(database.db, entityId, unlogged, { databaseUrl: database.url });

/** A new entity whose stored doc holds `text`; its id and the doc. */
async function storedDoc(text: string): Promise<{ entityId: string; doc: Y.Doc }> {
  const [row] = await database.db.insert(entities).values({ slug: `compaction-${Date.now()}-${Math.random()}`, type: 'event', title: 'Compaction' }).returning();
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  const state = Y.encodeStateAsUpdate(doc);
  await database.db.insert(entityDocs).values({ entityId: row.id, state, stateVector: Y.encodeStateVectorFromUpdate(state) });
  return { entityId: row.id, doc };
}

/** Edits `doc` `count` times, appending each update to the log as the collaboration server does. */
async function logEdits(entityId: string, doc: Y.Doc, count: number): Promise<void> {
  const log = createUpdateLog(database.db);
  const appended: Promise<void>[] = [];
  const onUpdate = (update: Uint8Array) => appended.push(log.append(entityId, update, null));
  doc.on('update', onUpdate);
  for (let i = 0; i < count; i++) doc.getText('body').insert(doc.getText('body').length, ` ${i}`);
  doc.off('update', onUpdate);
  await Promise.all(appended);
}

/** The stored doc as a client loading it gets it (the snapshot and every row left in the log), and how many rows are left. */
async function storedText(entityId: string): Promise<{ text: string; rows: number }> {
  const rows = await database.db.select().from(entityUpdates).where(eq(entityUpdates.entityId, entityId));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadEntityState(database.db, entityId))!);
  return { text: doc.getText('body').toString(), rows: rows.length };
}

/**
 * Starts compacting `entityId` with a merge that waits to be let go; resolves once the compaction
 * is merging, with the compaction's result and the function that lets the merge go on.
 */
async function compactionHeldInItsMerge(entityId: string, unlogged: Y.Doc | null): Promise<{ compaction: Promise<boolean>; letGo: () => void }> {
  let letGo!: () => void;
  let merging!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  const started = new Promise<void>((resolve) => (merging = resolve));
  const compaction = compactEntity(database.db, entityId, unlogged, {
    merge: async (...args) => {
      merging();
      await gate;
      return mergeUpdatesInBackground(...args);
    },
  });
  await started;
  return { compaction, letGo };
}

describe('compaction', () => {
  it('folds every logged update into the snapshot and deletes the rows', async () => {
    const { entityId, doc } = await storedDoc('Rapallo');
    await logEdits(entityId, doc, 600);
    const expected = doc.getText('body').toString();
    expect(await storedText(entityId)).toEqual({ text: expected, rows: 600 });
    expect(await compact(entityId, null)).toBe(true);
    expect(await storedText(entityId)).toEqual({ text: expected, rows: 0 });
    const [snapshot] = await database.db.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
    expect(snapshot.stateVector).toEqual(Y.encodeStateVectorFromUpdate(snapshot.state));
  });

  it('given a live doc holding an edit the log lacks (its write failed), folds that edit in too, with the rows the doc never saw (another instance wrote them)', async () => {
    const { entityId, doc } = await storedDoc('Locarno');
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(doc));
    await logEdits(entityId, elsewhere, 20); // not applied to `doc`
    doc.getText('body').insert(0, 'Unlogged: '); // in `doc` alone
    expect(await compact(entityId, doc)).toBe(true);
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(doc));
    expect(await storedText(entityId)).toEqual({ text: elsewhere.getText('body').toString(), rows: 0 });
    expect(elsewhere.getText('body').toString()).toMatch(/^Unlogged: Locarno 0 1 2/);
  });

  it('a row committed after a compaction read the log, its id lower than the rows it folded (another instance drew it first), is still loaded, then folded', async () => {
    const { entityId, doc } = await storedDoc('Potsdam');
    await logEdits(entityId, doc, 5);
    const [first] = await database.db.select({ id: entityUpdates.id }).from(entityUpdates).where(eq(entityUpdates.entityId, entityId)).orderBy(asc(entityUpdates.id)).limit(1);
    await compact(entityId, null);
    // Another instance's edit whose insert drew its id before those rows and committed after them.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(elsewhere);
    elsewhere.getText('body').insert(0, 'Late: ');
    await database.db.insert(entityUpdates).values({ id: first.id, entityId, update: Y.encodeStateAsUpdate(elsewhere, before) });
    const expected = elsewhere.getText('body').toString();
    expect(await storedText(entityId)).toEqual({ text: expected, rows: 1 });
    await compact(entityId, null);
    expect(await storedText(entityId)).toEqual({ text: expected, rows: 0 });
  });

  it.skipIf(inject('databaseKind') !== 'postgres')('two instances compacting one entity at once while both log edits lose none of them', async () => {
    const { entityId, doc } = await storedDoc('Yalta');
    const other = new Y.Doc(); // the same page open through another instance
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    for (let round = 0; round < 20; round++) {
      await Promise.all([
        logEdits(entityId, doc, 3),
        logEdits(entityId, other, 3),
        compact(entityId, null),
        sleep(round % 4).then(() => logEdits(entityId, other, 2)),
        sleep(round % 3).then(() => compact(entityId, null)),
      ]);
    }
    const both = new Y.Doc();
    for (const d of [doc, other]) Y.applyUpdate(both, Y.encodeStateAsUpdate(d));
    expect((await storedText(entityId)).text).toBe(both.getText('body').toString());
  });

  it("the VACUUM after a compaction leaves the log's emptied pages in place: giving them back takes a lock every editor's next write waits for", async () => {
    const vacuum = createLogVacuum(database.db);
    const pages = async () => resultRows<{ pages: number }>(await database.db.execute(sql`select (pg_relation_size('entity_updates') / 8192)::int as pages`))[0].pages;
    vacuum.request(); // the free space earlier tests left is reused first, so the rows below are the log's last
    await vacuum.idle();
    const { entityId, doc } = await storedDoc('Brest-Litovsk');
    const before = await pages();
    await logEdits(entityId, doc, 2000);
    const grown = await pages();
    expect(grown).toBeGreaterThan(before + 3);
    await compact(entityId, null);
    vacuum.request();
    await vacuum.idle();
    expect(await pages()).toBe(grown);
    expect(await storedText(entityId)).toEqual({ text: doc.getText('body').toString(), rows: 0 });
  });

  it("holds nothing while it merges: an edit is logged at once (on PGlite too, whose one connection a compaction's transaction would hold), and stays in the log", async () => {
    const { entityId, doc } = await storedDoc('Rapallo');
    await logEdits(entityId, doc, 50);
    const held = await compactionHeldInItsMerge(entityId, null);
    await logEdits(entityId, doc, 1);
    held.letGo();
    expect(await held.compaction).toBe(true);
    expect(await storedText(entityId)).toEqual({ text: doc.getText('body').toString(), rows: 1 });
  });

  it('a compaction overtaken by another while it merged gives up, and what either read is kept', async () => {
    const { entityId, doc } = await storedDoc('Locarno');
    await logEdits(entityId, doc, 20);
    const first = await compactionHeldInItsMerge(entityId, null);
    await logEdits(entityId, doc, 5);
    expect(await compact(entityId, null)).toBe(true); // not waiting for the first: it locks nothing yet
    first.letGo();
    // Written, its snapshot (the old one and the 20 rows) would replace the second's, which has the 5 edits after them too.
    expect(await first.compaction).toBe(false);
    expect(await storedText(entityId)).toEqual({ text: doc.getText('body').toString(), rows: 0 });
  });

  it('with nothing logged, changes nothing; with nothing logged but an edit only the live doc holds, writes that', async () => {
    const { entityId, doc } = await storedDoc('Versailles');
    const [before] = await database.db.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
    expect(await compact(entityId, null)).toBe(false);
    const [after] = await database.db.select().from(entityDocs).where(eq(entityDocs.entityId, entityId));
    expect(after).toEqual(before);
    doc.getText('body').insert(0, 'Treaty of ');
    expect(await compact(entityId, doc)).toBe(true);
    expect(await storedText(entityId)).toEqual({ text: 'Treaty of Versailles', rows: 0 });
  });
});

describe('document loader', () => {
  it('docs asked for at once load together: each asker gets its own doc with its logged edits, one asked for twice the same, a missing or malformed id null', async () => {
    const docs = await Promise.all(['Tilsit', 'Kiel', 'Yalta'].map((text) => storedDoc(text)));
    await logEdits(docs[1].entityId, docs[1].doc, 3);
    const load = createDocumentLoader(database.db);
    const text = (stored: Awaited<ReturnType<typeof load>>) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored!.state);
      return doc.getText('body').toString();
    };
    const [tilsit, kiel, tilsitAgain, missing, malformed, yalta] = await Promise.all(
      [docs[0].entityId, docs[1].entityId, docs[0].entityId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', docs[2].entityId].map(load),
    );
    expect([text(tilsit), text(kiel), text(tilsitAgain), text(yalta)]).toEqual(['Tilsit', 'Kiel 0 1 2', 'Tilsit', 'Yalta']);
    expect(kiel!.laterUpdates).toBe(3);
    expect(tilsit!.access).toMatchObject({ id: docs[0].entityId, type: 'event', visibility: 'public', protected: false });
    expect([missing, malformed]).toEqual([null, null]);
    expect(text(await load(docs[2].entityId))).toBe('Yalta'); // and a load asked for later, alone
  });
});

describe('update log', () => {
  it('one write of updates to two entities from two users and the server: every update stored byte for byte, in order, with its sender, and each new client id and author recorded once', async () => {
    const a = await storedDoc('Brest-Litovsk');
    const b = await storedDoc('Tilsit');
    const [ann, bob] = await database.db
      .insert(users)
      .values(['ann', 'bob'].map((name) => ({ username: `${name}-${Date.now()}`, usernameNorm: `${name}-${Date.now()}-${Math.random()}`, passwordHash: 'x' })))
      .returning();
    const edits: { entityId: string; doc: Y.Doc; userId: string | null }[] = [
      { ...a, userId: ann.id },
      { ...b, userId: bob.id },
      { ...a, userId: null },
      { ...a, userId: ann.id },
      { ...b, userId: ann.id },
    ];
    const log = createUpdateLog(database.db);
    const sent: { entityId: string; update: Uint8Array; userId: string | null }[] = [];
    // All in one tick: one write (the batch statement).
    await Promise.all(
      edits.map(({ entityId, doc, userId }, i) => {
        const before = Y.encodeStateVector(doc);
        doc.getText('body').insert(0, `edit ${i} `);
        const update = Y.encodeStateAsUpdate(doc, before);
        sent.push({ entityId, update, userId });
        return log.append(entityId, update, userId);
      }),
    );
    const rows = await database.db.select().from(entityUpdates).where(inArray(entityUpdates.entityId, [a.entityId, b.entityId])).orderBy(asc(entityUpdates.id));
    expect(rows.map((r) => ({ entityId: r.entityId, update: new Uint8Array(r.update), userId: r.userId }))).toEqual(sent);
    const owners = await database.db.select().from(entityClients).where(inArray(entityClients.entityId, [a.entityId, b.entityId]));
    expect(owners.map((o) => `${o.entityId}:${o.clientId}:${o.userId}`).sort()).toEqual([`${a.entityId}:${a.doc.clientID}:${ann.id}`, `${b.entityId}:${b.doc.clientID}:${bob.id}`].sort());
    const authors = await database.db.select().from(pendingAuthors).where(inArray(pendingAuthors.entityId, [a.entityId, b.entityId]));
    expect(authors.map((r) => `${r.entityId}:${r.userId}`).sort()).toEqual([`${a.entityId}:${ann.id}`, `${b.entityId}:${bob.id}`, `${b.entityId}:${ann.id}`].sort());
    for (const { entityId, doc } of [a, b]) expect((await storedText(entityId)).text).toBe(doc.getText('body').toString());
  });

  it.skipIf(inject('databaseKind') !== 'postgres')('two instances recording the same new authors at once, in opposite orders, both write: no deadlock', async () => {
    const { entityId, doc } = await storedDoc('Deadlock');
    const [ann, bob] = await database.db
      .insert(users)
      .values(['ann', 'bob'].map((name) => ({ username: `${name}-${Date.now()}`, usernameNorm: `${name}-${Date.now()}-${Math.random()}`, passwordHash: 'x' })))
      .returning();
    // Each author's row waits a moment before it is inserted: the two writes overlap for sure.
    await database.query(`create function slow_author() returns trigger language plpgsql as $$ begin perform pg_sleep(0.2); return new; end $$;
      create trigger slow_author before insert on pending_authors for each row execute function slow_author()`);
    try {
      /** An edit made by a client of its own (each instance records its own clients). */
      const edit = () => {
        const client = new Y.Doc();
        Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
        const before = Y.encodeStateVector(client);
        client.getText('body').insert(0, 'x');
        return Y.encodeStateAsUpdate(client, before);
      };
      const [first, second] = [createUpdateLog(database.db), createUpdateLog(database.db)];
      // Appended in one tick: one write each, ann then bob in the first, bob then ann in the second.
      const written = await Promise.allSettled([
        first.append(entityId, edit(), ann.id),
        first.append(entityId, edit(), bob.id),
        second.append(entityId, edit(), bob.id),
        second.append(entityId, edit(), ann.id),
      ]);
      expect(written.map((w) => (w.status === 'rejected' ? String(w.reason) : w.status))).toEqual(Array(4).fill('fulfilled'));
      const authors = await database.db.select().from(pendingAuthors).where(eq(pendingAuthors.entityId, entityId));
      expect(authors.map((a) => a.userId).sort()).toEqual([ann.id, bob.id].sort());
    } finally {
      await database.query('drop trigger slow_author on pending_authors; drop function slow_author()');
    }
  });

  it('stores and returns bytes exactly: every byte value, an update that is a view into a larger buffer, an empty one, and a snapshot of 20,000 words', async () => {
    const { entityId } = await storedDoc('Bytes');
    const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const backing = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
    const view = backing.subarray(10, 20); // byteOffset 10: only these 10 bytes are the update
    const log = createUpdateLog(database.db);
    for (const update of [everyByte, view, new Uint8Array(0)]) await log.append(entityId, update, null, []); // not Yjs updates: no client ids to read
    const rows = await database.db.select({ update: entityUpdates.update }).from(entityUpdates).where(eq(entityUpdates.entityId, entityId)).orderBy(asc(entityUpdates.id));
    expect(rows.map((r) => [...r.update])).toEqual([[...everyByte], [...view], []]);

    const big = new Y.Doc();
    for (let i = 0; i < 20_000; i++) big.getText('body').insert(big.getText('body').length, `word${i} `);
    const state = Y.encodeStateAsUpdate(big);
    await database.db.update(entityDocs).set({ state }).where(eq(entityDocs.entityId, entityId));
    await database.db.delete(entityUpdates).where(eq(entityUpdates.entityId, entityId));
    const [stored] = await database.db.select({ state: entityDocs.state }).from(entityDocs).where(eq(entityDocs.entityId, entityId));
    expect(Buffer.compare(Buffer.from(stored.state), Buffer.from(state))).toBe(0);
    expect((await storedText(entityId)).text).toBe(big.getText('body').toString());
  });

  it("an entity's log goes with it, and only its own: the log has no foreign key, a trigger deletes the rows", async () => {
    const gone = await storedDoc('Gone');
    const kept = await storedDoc('Kept');
    await logEdits(gone.entityId, gone.doc, 3);
    await logEdits(kept.entityId, kept.doc, 2);
    await database.db.delete(entities).where(eq(entities.id, gone.entityId));
    const left = await database.db.select({ entityId: entityUpdates.entityId }).from(entityUpdates).where(inArray(entityUpdates.entityId, [gone.entityId, kept.entityId]));
    expect(left.map((r) => r.entityId)).toEqual([kept.entityId, kept.entityId]);
    expect((await storedText(kept.entityId)).text).toBe(kept.doc.getText('body').toString());
  });
});
