import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeUpdatesInBackground } from './background-merge';

/** A doc's updates: `count` typed characters, one update each, as an editor sends them. */
function typingUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('body');
  for (let i = 0; i < count; i++) {
    if (i % 7 === 6) text.delete(0, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  return updates;
}

/** Updates as the database packs a doc's log: each after its length in 4 bytes, big-endian. */
function pack(updates: Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(updates.reduce((n, u) => n + 4 + u.length, 0));
  const view = new DataView(packed.buffer);
  let at = 0;
  for (const update of updates) {
    view.setUint32(at, update.length);
    packed.set(update, at + 4);
    at += 4 + update.length;
  }
  return packed;
}

describe('mergeUpdatesInBackground', () => {
  it('gives the same state and state vector as merging on the main thread', async () => {
    const updates = typingUpdates(500);
    const { state, stateVector } = await mergeUpdatesInBackground(updates);
    expect(state).toEqual(Y.mergeUpdates(updates));
    expect(stateVector).toEqual(Y.encodeStateVectorFromUpdate(state));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const expected = new Y.Doc();
    for (const update of updates) Y.applyUpdate(expected, update);
    expect(doc.getText('body').toString()).toBe(expected.getText('body').toString());
  });

  it('reads a packed log (the snapshot and live state given apart) as the same updates', async () => {
    const updates = typingUpdates(300);
    const [snapshot, ...log] = updates;
    const { state } = await mergeUpdatesInBackground([snapshot], pack(log));
    expect(state).toEqual(Y.mergeUpdates(updates));
    await expect(mergeUpdatesInBackground([snapshot], pack(log).subarray(0, 50))).rejects.toThrow('could not merge the updates: the packed updates are cut short');
  });

  it('leaves the event loop free while it merges', async () => {
    const updates = typingUpdates(3000); // ~100 ms of merging: merging is quadratic in the number of updates
    let turns = 0;
    let merging = true;
    const spin = () => {
      if (!merging) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const merged = mergeUpdatesInBackground(updates).finally(() => (merging = false));
    await merged;
    // On the main thread the merge would run before any other task: no turn at all.
    expect(turns).toBeGreaterThan(10);
  });

  it.skipIf(process.platform !== 'linux')("runs a low-priority merge (a compaction's) on a thread of the lowest CPU priority, a normal one (a page being opened) at the process's", async () => {
    // Each thread's niceness: the 19th field of /proc/self/task/<id>/stat (the 17th after the name's closing parenthesis).
    const nicenesses = () => readdirSync('/proc/self/task').map((id) => Number(readFileSync(`/proc/self/task/${id}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    const lowest = () => nicenesses().filter((n) => n === 19).length;
    const updates = typingUpdates(200);
    const before = nicenesses().length;
    expect((await mergeUpdatesInBackground(updates)).state).toEqual(Y.mergeUpdates(updates));
    expect(lowest()).toBe(0); // the normal worker (started by now) runs at the process's priority
    expect((await mergeUpdatesInBackground(updates, null, { priority: 'low' })).state).toEqual(Y.mergeUpdates(updates));
    expect(lowest()).toBe(1);
    expect(nicenesses().length).toBeGreaterThan(before);
  });

  it('rejects bytes that are not an update, and goes on merging after', async () => {
    const updates = typingUpdates(20);
    const truncated = updates[0].slice(0, updates[0].length - 3);
    await expect(mergeUpdatesInBackground([truncated, ...updates])).rejects.toThrow('could not merge the updates: Unexpected end of array');
    expect((await mergeUpdatesInBackground(updates)).state).toEqual(Y.mergeUpdates(updates));
  });
});

describe('a merge in flight', () => {
  it('keeps the process running until it is done (a compaction during shutdown)', () => {
    // A process with nothing else to do: were the worker unreferenced while merging, Node would
    // exit before the answer came, and the compaction would be lost.
    const tmp = join(process.cwd(), 'tests', '.tmp'); // inside the project, where 'yjs' resolves
    mkdirSync(tmp, { recursive: true });
    const dir = mkdtempSync(join(tmp, 'merge-'));
    const script = join(dir, 'merge.mjs');
    writeFileSync(
      script,
      `import * as Y from 'yjs';
      import { mergeUpdatesInBackground } from ${JSON.stringify(new URL('./background-merge.ts', import.meta.url).href)};
      const doc = new Y.Doc();
      const updates = [];
      doc.on('update', (u) => updates.push(u));
      for (let i = 0; i < 2000; i++) doc.getText('t').insert(0, 'x');
      await mergeUpdatesInBackground(updates.slice(0, 2)); // the worker is running and idle
      mergeUpdatesInBackground(updates).then(({ state }) => console.log('merged', state.length));`,
    );
    try {
      const { stdout, stderr, status } = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toMatch(/^merged \d+$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
