import { describe, expect, it } from 'vitest';
import * as bibtex from '@retorquere/bibtex-parser';
import core from '@citation-js/core';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-csl';
import Ajv from 'ajv';
import { formatCitation, type CiteData } from './cite';

const data: CiteData = {
  title: 'Mikhail Borodin & the {KMT} 100% _draft_',
  site: 'Annals',
  authors: ['alice', 'bob.b', 'carol_c'],
  revisionNumber: 14,
  revisionId: '7a0c2a4e-1f7e-4a39-9a44-3f2d5d2d8c11',
  revisionDate: new Date('2026-11-03T10:00:00Z'),
  accessDate: new Date('2026-11-21T08:00:00Z'),
  url: 'https://annals.example/revisions/7a0c2a4e-1f7e-4a39-9a44-3f2d5d2d8c11',
  sha256: '3f9a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
};

/**
 * The parts of the CSL-JSON data schema (citation-style-language/schema, csl-data.json) that
 * our items use: an array of items with id and a known type, name variables, date variables.
 */
const cslDataSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'type'],
    properties: {
      id: { type: ['string', 'number'] },
      type: { enum: ['article', 'article-journal', 'article-magazine', 'article-newspaper', 'book', 'chapter', 'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'post', 'post-weblog', 'report', 'software', 'webpage'] },
      title: { type: 'string' },
      'container-title': { type: 'string' },
      URL: { type: 'string' },
      version: { type: 'string' },
      note: { type: 'string' },
      author: {
        type: 'array',
        items: { type: 'object', properties: { family: { type: 'string' }, given: { type: 'string' }, literal: { type: 'string' } }, additionalProperties: false, anyOf: [{ required: ['literal'] }, { required: ['family'] }] },
      },
      issued: { $ref: '#/definitions/date' },
      accessed: { $ref: '#/definitions/date' },
    },
    additionalProperties: false,
  },
  definitions: {
    date: {
      type: 'object',
      properties: { 'date-parts': { type: 'array', minItems: 1, maxItems: 2, items: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'integer' } } } },
      required: ['date-parts'],
      additionalProperties: false,
    },
  },
};

describe('citations of a revision', () => {
  it('APA, MLA and Chicago name the authors, revision, dates, permalink and short hash', () => {
    const apa = formatCitation('apa', data);
    expect(apa).toBe(
      'alice, bob.b, & carol_c. (2026, November 3). Mikhail Borodin & the {KMT} 100% _draft_ (revision 14, sha256 3f9a1b2c4d5e). In Annals. Retrieved November 21, 2026, from https://annals.example/revisions/7a0c2a4e-1f7e-4a39-9a44-3f2d5d2d8c11',
    );
    expect(formatCitation('mla', data)).toContain('Accessed 21 Nov. 2026.');
    expect(formatCitation('mla', data)).toContain('3 Nov. 2026');
    expect(formatCitation('chicago', data)).toContain('Annals, November 3, 2026. Accessed November 21, 2026.');
    expect(formatCitation('apa', { ...data, authors: [] })).toMatch(/^Annals contributors\./);
  });

  it('BibTeX parses with a real BibTeX parser, special characters intact', () => {
    const parsed = bibtex.parse(formatCitation('bibtex', data), { sentenceCase: false });
    expect(parsed.errors).toEqual([]);
    const [entry] = parsed.entries;
    expect(entry.type).toBe('misc');
    expect(entry.fields.title).toBe('Mikhail Borodin & the KMT 100% _draft_ (revision 14)');
    expect(entry.fields.author?.map((a: { name?: string }) => a.name)).toEqual(['alice', 'bob.b', 'carol_c']);
    expect(entry.fields.url).toBe(data.url);
    expect(entry.fields.year).toBe('2026');
  });

  it('RIS parses with citation-js into the same title, authors and URL', async () => {
    const cite = await core.Cite.async(formatCitation('ris', data), { forceType: '@ris/file' });
    const [item] = cite.data as { title: string; author: { family?: string; literal?: string }[]; URL: string; issued: { 'date-parts': number[][] } }[];
    expect(item.title).toBe(data.title);
    expect(item.author.map((a) => a.family ?? a.literal)).toEqual(['alice', 'bob.b', 'carol_c']);
    expect(item.URL).toBe(data.url);
    expect(item.issued['date-parts'][0]).toEqual([2026, 11, 3]);
  });

  it('CSL-JSON validates against the CSL data schema and renders with a CSL processor', () => {
    const items = JSON.parse(formatCitation('csl', data));
    const validate = new Ajv({ allErrors: true }).compile(cslDataSchema);
    expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
    const text = new core.Cite(items).format('bibliography', { template: 'apa', format: 'text' }) as string;
    expect(text).toContain('alice');
    expect(text).toContain(data.url);
  });
});
