/** The three source documents the wiki is seeded from, with what is known about each. */
export type SourceMeta = {
  key: string;
  id: string;
  fileName: string;
  title: string;
  author: string | null;
  publisher: string | null;
  kind: string;
  dateText: string | null;
  description: string;
};

export const SOURCE_FILES: SourceMeta[] = [
  {
    key: '000',
    id: 'istomin-foreign-interference',
    fileName: '000_ee8429461ed7a536.txt',
    title: 'Foreign interference against major powers: Soviet assistance to the Chinese Communists',
    author: 'Igor Istomin',
    publisher: 'MGIMO University',
    kind: 'Academic article',
    dateText: 'not stated (cites work from 2020)',
    description:
      'Academic article on foreign interference against major powers, with a case study of Soviet assistance to the Chinese Communist Party from the 1920s to the 1950s; contains two tables.',
  },
  {
    key: '001',
    id: 'myth-of-chinese-non-intervention',
    fileName: '001_7614d749708fd694.txt',
    title: 'The Myth of Chinese Non-Intervention',
    author: null,
    publisher: 'Blog (author not named)',
    kind: 'Blog post with reader comments',
    dateText: 'comments dated 19–20 August 2012',
    description:
      'Blog post on the Five Principles of Peaceful Coexistence, followed by 21 reader comments on Hungary and Poland in 1956, Malaya, Indonesia and asylum cases.',
  },
  {
    key: '002',
    id: 'soviet-diplomacy-lenin-stalin',
    fileName: '002_476f5632536a8e74.txt',
    title: 'Soviet foreign policy, 1920–1929: Lenin’s diplomacy and Stalin’s diplomacy',
    author: null,
    publisher: 'Encyclopedia article (author not named)',
    kind: 'Encyclopedia article',
    dateText: 'not stated',
    description:
      'Encyclopedia-style text in two sections, “Lenin’s diplomacy” and “Stalin’s diplomacy”: the Comintern, the Narkomindel, Genoa, Rapallo and China policy, 1920–1929.',
  },
];
