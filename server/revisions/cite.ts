export const CITE_STYLES = ['apa', 'mla', 'chicago', 'bibtex', 'ris', 'csl'] as const;
export type CiteStyle = (typeof CITE_STYLES)[number];

export type CiteData = {
  title: string;
  site: string;
  /** People (usernames) or one group name; empty → "<site> contributors". */
  authors: string[];
  revisionNumber: number;
  revisionId: string;
  revisionDate: Date;
  accessDate: Date;
  url: string;
  sha256: string;
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MLA_MONTHS = ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const BIB_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ymd = (d: Date) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()] as const;
const longDate = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The short form of the hash printed in citations. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);

function authorList(data: CiteData, last: string): string {
  const names = data.authors.length ? data.authors : [`${data.site} contributors`];
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')}${names.length > 2 ? ',' : ''} ${last} ${names.at(-1)}`;
}

/** Braces, backslashes and LaTeX specials taken literally in a BibTeX field. */
function bibEscape(text: string): string {
  return text.replace(/[\\{}]/g, '').replace(/([&%$#_])/g, '\\$1').replace(/~/g, '\\textasciitilde{}').replace(/\^/g, '\\textasciicircum{}');
}

function risLine(tag: string, value: string): string {
  return `${tag}  - ${value.replace(/[\r\n]+/g, ' ')}`;
}

/** A citation of one revision in the given style; plain text (BibTeX, RIS and CSL-JSON are machine formats). */
export function formatCitation(style: CiteStyle, data: CiteData): string {
  const version = `revision ${data.revisionNumber}, sha256 ${shortHash(data.sha256)}`;
  const [year, month, day] = ymd(data.revisionDate);
  switch (style) {
    case 'apa':
      return `${authorList(data, '&')}. (${year}, ${MONTHS[month - 1]} ${day}). ${data.title} (${version}). In ${data.site}. Retrieved ${longDate(data.accessDate)}, from ${data.url}`;
    case 'mla':
      return `${authorList(data, 'and')}. “${data.title}.” ${data.site}, ${version}, ${day} ${MLA_MONTHS[month - 1]} ${year}, ${data.url}. Accessed ${data.accessDate.getUTCDate()} ${MLA_MONTHS[data.accessDate.getUTCMonth()]} ${data.accessDate.getUTCFullYear()}.`;
    case 'chicago':
      return `${authorList(data, 'and')}. “${data.title}” (${version}). ${data.site}, ${longDate(data.revisionDate)}. Accessed ${longDate(data.accessDate)}. ${data.url}.`;
    case 'bibtex': {
      const key = `${data.site}_${data.title}`.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60).toLowerCase() + `_r${data.revisionNumber}`;
      const authors = (data.authors.length ? data.authors : [`${data.site} contributors`]).map((a) => `{${bibEscape(a)}}`).join(' and ');
      return [
        `@misc{${key},`,
        `  author = {${authors}},`,
        `  title = {{${bibEscape(data.title)} (revision ${data.revisionNumber})}},`, // double braces keep the capitals
        `  howpublished = {${bibEscape(data.site)}},`,
        `  year = {${year}},`,
        `  month = ${BIB_MONTHS[month - 1]},`,
        `  url = {${data.url}},`,
        `  urldate = {${isoDate(data.accessDate)}},`,
        `  note = {Revision ${data.revisionNumber}, sha256 ${data.sha256}}`,
        `}`,
      ].join('\n');
    }
    case 'ris':
      return [
        risLine('TY', 'ELEC'),
        ...(data.authors.length ? data.authors : [`${data.site} contributors`]).map((a) => risLine('AU', a)),
        risLine('TI', data.title),
        risLine('T2', data.site),
        risLine('PY', String(year)),
        risLine('DA', `${year}/${pad(month)}/${pad(day)}`),
        risLine('ET', `Revision ${data.revisionNumber}`),
        risLine('UR', data.url),
        risLine('Y2', `${data.accessDate.getUTCFullYear()}/${pad(data.accessDate.getUTCMonth() + 1)}/${pad(data.accessDate.getUTCDate())}`),
        risLine('N1', `sha256 ${data.sha256}`),
        risLine('ER', ''),
      ].join('\r\n');
    case 'csl':
      return JSON.stringify(
        [
          {
            id: `${data.revisionId}`,
            type: 'webpage',
            title: data.title,
            'container-title': data.site,
            author: (data.authors.length ? data.authors : [`${data.site} contributors`]).map((literal) => ({ literal })),
            issued: { 'date-parts': [[year, month, day]] },
            accessed: { 'date-parts': [[...ymd(data.accessDate)]] },
            URL: data.url,
            version: String(data.revisionNumber),
            note: `sha256 ${data.sha256}`,
          },
        ],
        null,
        2,
      );
  }
}
