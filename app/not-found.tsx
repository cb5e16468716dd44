import Link from 'next/link';
import { SearchBox } from '@/components/layout/SearchBox';

export default function NotFound() {
  return (
    <div className="max-w-2xl">
      <h1 className="font-serif text-3xl mb-2">Page not found</h1>
      <p className="text-muted mb-4">There is no page at this address. Search for what you were looking for, or start from the <Link href="/">home page</Link>.</p>
      <SearchBox />
    </div>
  );
}
