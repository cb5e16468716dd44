import type { Metadata, Viewport } from 'next';
import { SiteHeader } from '@/components/layout/SiteHeader';
import { SiteFooter } from '@/components/layout/SiteFooter';
import { currentViewer } from '@/server/auth/request';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Annals — a shared wiki of Soviet and Chinese foreign policy', template: '%s — Annals' },
  description: 'People, parties, treaties and events, linked to each other and backed by quoted sources; cite any revision.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const viewer = await currentViewer();
  return (
    <html lang="en">
      <body className="min-h-screen flex flex-col">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <SiteHeader user={viewer.user} />
        <main id="main" className="flex-1 w-full max-w-6xl mx-auto px-4 py-6">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
