import Link from 'next/link';

export function SiteFooter() {
  return (
    <footer className="border-t border-line bg-white text-sm text-muted">
      <div className="max-w-6xl mx-auto px-4 py-6 flex flex-wrap gap-x-6 gap-y-2 justify-between">
        <p>Every claim is backed by a quoted passage of a source document. Text is shared by its contributors.</p>
        <nav aria-label="Footer">
          <ul className="flex gap-4">
            <li><Link href="/sources">Sources</Link></li>
            <li><Link href="/timeline">Timeline</Link></li>
            <li><Link href="/verify">Verify a citation</Link></li>
            <li><Link href="/api/health" prefetch={false}>API status</Link></li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
