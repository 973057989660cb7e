// Writes schema/briefing.schema.json from the format definition in src/schema/briefing.ts (via
// the compiled lib/). Run `npm run schema` after changing the format; a test checks it is current.
import { writeFileSync } from 'node:fs';
import { briefingJsonSchema } from '../lib/schema/briefing.js';

const path = new URL('../schema/briefing.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(briefingJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
