// `node bench/gc-retention.mjs`: which ways of writing per-request code make V8 keep a
// request's objects through young-generation GCs (scavenges) after the request is done.
//
// Each pattern runs 20,000 times, each time building ~100 KB of objects ("the request") that
// nothing needs afterwards, in a child process with `--trace-gc-nvp`. The figure is the share
// of what was allocated that scavenges found alive and copied. Near 1 % is the normal case;
// tens of percent means every iteration's objects stayed alive until a full (major) GC.
// The likely reason: a scavenge treats every object in the old generation as alive, and V8
// puts some per-request objects there from the start or on first use (functions it expects
// to live long: accessors, classes and, on some versions, a function literal assigned to a
// property, which is how Node 24 and 26 build every Writable; objects that become
// prototypes). When the request is over they are dead but not yet collected, and the young
// objects they point to are copied, scavenge after scavenge, until the next major GC.
import { execFileSync } from 'node:child_process';

const patterns = {
  'closure stored in a variable first: const f = () => data; o.f = f': 'const o = {}; const f = () => data; o.f = f; sink = o;',
  'function literal assigned to a property: o.f = () => data': 'const o = {}; o.f = () => data; sink = o;',
  'same, the closure not using data (another closure in its scope does)': 'const o = {}; o.f = () => 1; sink = o; if (i < 0) (() => data)();',
  'method in an object literal: { m() { return data } }': 'sink = { m() { return data; } };',
  'getter in an object literal: { get x() { return data } }': 'sink = { get x() { return data; } };',
  'class declared per request': 'class C { m() { return data; } } sink = new C();',
  'per-request object as a prototype: Object.create(data)': 'sink = Object.create(data);',
  "Node's Readable.from([data]), read to the end": "const r = Readable.from([data]); r.resume(); await once(r, 'end');",
  "a Node Readable holding data: new Readable(); r.d = data": 'const r = new Readable(); r.d = data; sink = r;',
  "a Node Writable holding data: new Writable(); w.d = data": 'const w = new Writable(); w.d = data; sink = w;',
  'web ReadableStream read to the end': 'const r = new ReadableStream({ start(c) { c.enqueue(data); c.close(); } }).getReader(); while (!(await r.read()).done);',
};

const header = "import { Readable, Writable } from 'node:stream'; import { once } from 'node:events'; let sink;";

function run(body) {
  const program = `${header}\nfor (let i = 0; i < 20000; i++) { const data = { payload: Array.from({ length: 2000 }, (_, j) => ({ j })) }; ${body} }`;
  const log = execFileSync(process.execPath, ['--trace-gc-nvp', '--input-type=module', '-e', program], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let allocated = 0;
  let survived = 0;
  for (const line of log.split('\n')) {
    // Node 26 prints each GC as JSON; Node 20 to 24 as name=value pairs.
    const json = /GC: (\{.*\})/.exec(line);
    const gc = json ? JSON.parse(json[1]) : Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+|s|mc|ms)\b/g)].map((m) => [m[1], m[2]]));
    if (gc.gc !== 's') continue;
    allocated += Number(gc.allocated);
    survived += Number(gc.new_space_survived);
  }
  if (allocated === 0) throw new Error(`no scavenge found in ${process.version}'s GC trace`);
  return survived / allocated;
}

console.log(`Node ${process.version}: share of each iteration's ~100 KB that scavenges kept alive (20,000 iterations)`);
console.log('| pattern | kept by scavenges |');
console.log('|---|---|');
for (const [name, body] of Object.entries(patterns)) console.log(`| ${name} | ${(run(body) * 100).toFixed(1)} % |`);
