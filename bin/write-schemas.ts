/** `npm run schemas`: writes schemas/*.schema.json from the zod schemas (see src/authoring/json-schemas.ts). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaFiles } from '../src/authoring/json-schemas.ts';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';

for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(path.join(PACKAGE_ROOT, 'schemas', name), text);
  console.log(`schemas/${name}`);
}
