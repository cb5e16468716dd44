import coreWebVitals from 'eslint-config-next/core-web-vitals';
import typescript from 'eslint-config-next/typescript';

const config = [
  ...coreWebVitals,
  ...typescript,
  {
    ignores: ['.next/**', 'node_modules/**', 'data/**', 'tests/.tmp/**', 'db/migrations/**', 'next-env.d.ts'],
  },
  {
    // components/ is UI: it must not reach into the database or the server.
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/db/*', '@/server/*'], message: 'UI code must not import db/ or server/; call a loader from the page.' }] }],
    },
  },
];

export default config;
