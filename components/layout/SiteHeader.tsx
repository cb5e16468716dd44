import Link from 'next/link';
import { NAV_LINKS } from './nav';
import { SearchBox } from './SearchBox';
import { AccountMenu } from '@/components/account/AccountMenu';

export function SiteHeader({ user }: { user: { username: string; isAdmin: boolean } | null }) {
  return (
    <header className="bg-white border-b border-line">
      <div className="max-w-6xl mx-auto px-4 py-3 flex flex-wrap items-center gap-x-6 gap-y-2">
        <Link href="/" className="no-underline text-ink hover:text-ink flex items-baseline gap-2">
          <span className="font-serif text-2xl tracking-tight">Annals</span>
          <span className="hidden sm:inline text-sm text-muted">Soviet &amp; Chinese foreign policy</span>
        </Link>
        <div className="flex-1 min-w-[12rem] order-3 sm:order-none">
          <SearchBox inHeader />
        </div>
        <div className="ml-auto sm:ml-0">
          <AccountMenu user={user} />
        </div>
      </div>
      <nav aria-label="Main" className="border-t border-line bg-wash">
        <ul className="max-w-6xl mx-auto px-4 flex gap-1 overflow-x-auto text-sm">
          {NAV_LINKS.map((link) => (
            <li key={link.href}>
              <Link href={link.href} className="block px-3 py-2 no-underline text-ink hover:bg-white hover:text-accent whitespace-nowrap">
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
