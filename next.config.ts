import type { NextConfig } from 'next';

// Packages that must stay a single copy shared with server/: a second bundled copy of
// PGlite would open the data dir twice, and a second Yjs breaks the CRDT silently.
const nextConfig: NextConfig = {
  serverExternalPackages: [
    '@electric-sql/pglite',
    'postgres',
    'yjs',
    'y-protocols',
    'lib0',
    'ws',
    '@node-rs/argon2',
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
