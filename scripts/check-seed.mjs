#!/usr/bin/env node
// Validates db/seed/data/*.json against db/seed/FORMAT.md without any dependency,
// so curators can run it before `npm install`. Exit 1 when anything is wrong.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seedDir = join(root, 'db', 'seed');

const SOURCES = {
  '000': '000_ee8429461ed7a536.txt',
  '001': '001_7614d749708fd694.txt',
  '002': '002_476f5632536a8e74.txt',
};
const TYPES = ['person', 'party', 'treaty', 'event', 'state'];
const PREDICATES = [
  'member_of', 'leader_of', 'founder_of', 'signatory', 'party_to', 'participant', 'located_in',
  'part_of', 'preceded_by', 'succeeded', 'caused', 'opposed', 'allied_with', 'advised', 'negotiated',
];
const MINIMUMS = { person: 45, party: 18, treaty: 15, event: 60 };
const DATE_FIELDS = ['born', 'died', 'founded', 'dissolved', 'signed', 'start', 'end'];

const simpleDate = /^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}|\d{3}0s)$/;
function isDate(s) {
  if (typeof s !== 'string') return false;
  const m = /^(c\. |after |before )?(.+)$/.exec(s);
  if (m[1]) return simpleDate.test(m[2]);
  const parts = s.split('/');
  if (parts.length === 2) return simpleDate.test(parts[0]) && simpleDate.test(parts[1]);
  return simpleDate.test(s);
}

const texts = Object.fromEntries(
  Object.entries(SOURCES).map(([k, f]) => [k, readFileSync(join(seedDir, 'sources', f), 'utf8')]),
);

function nthIndexOf(text, quote, n) {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(quote, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

const errors = [];
const warn = [];
const entities = [];
const files = readdirSync(join(seedDir, 'data')).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  let list;
  try {
    list = JSON.parse(readFileSync(join(seedDir, 'data', file), 'utf8'));
  } catch (e) {
    errors.push(`${file}: invalid JSON: ${e.message}`);
    continue;
  }
  if (!Array.isArray(list)) errors.push(`${file}: top level must be an array`);
  else for (const e of list) entities.push({ ...e, __file: file });
}

// While curating, the registry lists the entities still to be written.
let registry = [];
try {
  registry = JSON.parse(readFileSync(join(seedDir, 'registry.json'), 'utf8'));
} catch {
  // no registry: nothing to compare against
}
const final = process.argv.includes('--counts');
// While curating, a slug from the registry counts as known; the final check needs every target written.
const known = (slug) => bySlug.has(slug) || (!final && registry.some((r) => r.slug === slug));

const bySlug = new Map();
for (const e of entities) {
  const where = `${e.__file}:${e.slug}`;
  if (typeof e.slug !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(e.slug)) errors.push(`${where}: bad slug`);
  if (bySlug.has(e.slug)) errors.push(`${where}: duplicate slug (also in ${bySlug.get(e.slug).__file})`);
  bySlug.set(e.slug, e);
}

const nameOwners = new Map();
function checkCitation(where, c) {
  if (!c || !texts[c.source]) return errors.push(`${where}: citation source must be one of ${Object.keys(SOURCES)}`);
  if (typeof c.quote !== 'string' || c.quote.length < 8) return errors.push(`${where}: quote missing or too short`);
  const at = nthIndexOf(texts[c.source], c.quote, c.occurrence ?? 1);
  if (at < 0) errors.push(`${where}: quote not found verbatim in ${c.source}: "${c.quote.slice(0, 70)}…"`);
  if (c.quote.length > 600) warn.push(`${where}: quote longer than 600 chars`);
}

function checkMarkup(where, text, citationCount) {
  if (typeof text !== 'string') return errors.push(`${where}: must be a string`);
  for (const m of text.matchAll(/\[\[([^\]|]+)(\|[^\]]+)?\]\]/g)) {
    if (!known(m[1])) errors.push(`${where}: link to unknown slug [[${m[1]}]]`);
  }
  for (const m of text.replace(/\[\[[^\]]*\]\]/g, '').matchAll(/\[(\d+)\]/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > citationCount) errors.push(`${where}: citation ref [${n}] out of range (1..${citationCount})`);
  }
}

for (const e of entities) {
  const where = `${e.__file}:${e.slug}`;
  if (!TYPES.includes(e.type)) errors.push(`${where}: type must be one of ${TYPES}`);
  if (typeof e.title !== 'string' || !e.title.trim()) errors.push(`${where}: title missing`);
  if (e.aliases !== undefined && !Array.isArray(e.aliases)) errors.push(`${where}: aliases must be an array`);
  for (const name of [e.title, ...(e.aliases ?? [])]) {
    const key = String(name).toLowerCase();
    const owner = nameOwners.get(key);
    if (owner && owner !== e.slug) warn.push(`${where}: name "${name}" also used by ${owner}`);
    nameOwners.set(key, e.slug);
  }
  const cites = Array.isArray(e.citations) ? e.citations : [];
  if (cites.length === 0) errors.push(`${where}: needs at least one citation`);
  cites.forEach((c, i) => checkCitation(`${where} citation ${i + 1}`, c));
  checkMarkup(`${where} summary`, e.summary, cites.length);
  const sentences = String(e.summary ?? '').split(/[.!?](\s|$)/).filter((s) => s && s.trim().length > 3).length;
  if (sentences < 2) warn.push(`${where}: summary should have 2–5 sentences`);
  (e.body ?? []).forEach((p, i) => checkMarkup(`${where} body ${i + 1}`, p, cites.length));
  if (e.note !== undefined) checkMarkup(`${where} note`, e.note, cites.length);
  const fields = e.fields ?? {};
  for (const f of DATE_FIELDS) {
    if (fields[f] !== undefined && !isDate(fields[f])) errors.push(`${where}: field ${f} "${fields[f]}" is not in the date grammar`);
  }
  for (const f of ['roles', 'signatories']) {
    if (fields[f] !== undefined && !Array.isArray(fields[f])) errors.push(`${where}: field ${f} must be an array`);
  }
  (e.statements ?? []).forEach((s, i) => {
    const sw = `${where} statement ${i + 1}`;
    if (!PREDICATES.includes(s.predicate)) errors.push(`${sw}: unknown predicate ${s.predicate}`);
    if (!known(s.target)) errors.push(`${sw}: unknown target ${s.target}`);
    if (s.target === e.slug) errors.push(`${sw}: points at itself`);
    if (s.date !== undefined && !isDate(s.date)) errors.push(`${sw}: date "${s.date}" is not in the date grammar`);
    (s.citations ?? []).forEach((c, j) => checkCitation(`${sw} citation ${j + 1}`, c));
  });
}

// Each relation is written once: on its subject, and for symmetric predicates on one side only.
const SYMMETRIC = ['allied_with', 'opposed'];
const seenStatements = new Map();
for (const e of entities) {
  for (const s of e.statements ?? []) {
    const key = `${e.slug} ${s.predicate} ${s.target}`;
    const reverse = `${s.target} ${s.predicate} ${e.slug}`;
    if (seenStatements.has(key)) errors.push(`${e.__file}:${e.slug}: statement ${s.predicate} → ${s.target} written twice`);
    else if (SYMMETRIC.includes(s.predicate) && seenStatements.has(reverse)) {
      errors.push(`${e.__file}:${e.slug}: ${s.predicate} with ${s.target} already written on ${s.target} (${seenStatements.get(reverse)})`);
    }
    seenStatements.set(key, e.__file);
  }
}

const missing = registry.filter((r) => !bySlug.has(r.slug)).map((r) => r.slug);
if (missing.length) console.log(`registry: ${missing.length} entities not written yet: ${missing.slice(0, 40).join(' ')}${missing.length > 40 ? ' …' : ''}`);

const counts = Object.fromEntries(TYPES.map((t) => [t, entities.filter((e) => e.type === t).length]));
const statements = entities.reduce((n, e) => n + (e.statements?.length ?? 0), 0);
const citations = entities.reduce(
  (n, e) => n + (e.citations?.length ?? 0) + (e.statements ?? []).reduce((m, s) => m + (s.citations?.length ?? 0), 0),
  0,
);
for (const w of warn) console.log(`warning: ${w}`);
for (const e of errors) console.log(`error: ${e}`);
console.log(`entities ${entities.length} ${JSON.stringify(counts)}; statements ${statements}; citations ${citations}`);
if (final) {
  if (missing.length) errors.push('registry entities missing');
  for (const [t, min] of Object.entries(MINIMUMS)) {
    if (counts[t] < min) {
      console.log(`error: ${t} count ${counts[t]} is below the minimum ${min}`);
      errors.push('count');
    }
  }
}
console.log(errors.length ? `${errors.length} errors` : 'ok');
process.exit(errors.length ? 1 : 0);
