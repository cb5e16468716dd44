import { TYPE_INFO } from '@/components/model/entity-types';

/** The site's main navigation: one entry per entity type, then the cross-cutting views. */
export const NAV_LINKS = [
  { href: TYPE_INFO.person.path, label: 'People' },
  { href: TYPE_INFO.party.path, label: 'Parties' },
  { href: TYPE_INFO.treaty.path, label: 'Treaties' },
  { href: TYPE_INFO.event.path, label: 'Events' },
  { href: TYPE_INFO.state.path, label: 'States' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/sources', label: 'Sources' },
  { href: '/recent', label: 'Recent changes' },
];
