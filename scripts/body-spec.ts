// Writes components/editor/schema/body-spec.json, the body's schema as data (see body-spec.ts),
// from the editor's extensions: run after changing them (`npm run body-spec`).
import { writeFileSync } from 'node:fs';
import { bodySchema } from '@/components/editor/schema/extensions';
import { specAsData } from '@/components/editor/schema/body-spec';

const file = new URL('../components/editor/schema/body-spec.json', import.meta.url);
writeFileSync(file, JSON.stringify(specAsData(bodySchema()), null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
