import Link from 'next/link';
import { SignOutButton } from './SignOutButton';

/** The header's account area: sign-in links, or the user's menu. */
export function AccountMenu({ user }: { user: { username: string; isAdmin: boolean } | null }) {
  if (!user) {
    return (
      <div className="flex items-center gap-3 text-sm">
        <Link href="/signin">Sign in</Link>
        <Link href="/signup" className="rounded bg-accent px-3 py-1.5 text-white no-underline hover:bg-accent-dark hover:text-white">
          Create account
        </Link>
      </div>
    );
  }
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer list-none rounded border border-line px-3 py-1.5 hover:border-accent" aria-label={`Account menu for ${user.username}`}>
        {user.username}
        {user.isAdmin && <span className="ml-1 text-xs text-muted">(admin)</span>} ▾
      </summary>
      <ul className="absolute right-0 z-20 mt-1 w-48 rounded border border-line bg-white py-1 shadow-lg">
        <li><Link href="/new" className="block px-3 py-1.5 no-underline hover:bg-wash">New page</Link></li>
        <li><Link href="/groups" className="block px-3 py-1.5 no-underline hover:bg-wash">Your groups</Link></li>
        <li><Link href="/account" className="block px-3 py-1.5 no-underline hover:bg-wash">Sessions &amp; tokens</Link></li>
        <li className="border-t border-line mt-1 pt-1"><SignOutButton /></li>
      </ul>
    </details>
  );
}
