/** Writes the JSON Schemas that editors use for tenant files and platform.yaml. */
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILES, renderJsonSchemas } from '../config/json-schema';
import { runCli } from './cli';

runCli('schema', 'Usage: npm run schema\n\nRegenerates tenants/tenant.schema.json and platform.schema.json from config/schema.ts.', () => {
  const rendered = renderJsonSchemas();
  for (const [key, file] of Object.entries(SCHEMA_FILES)) writeFileSync(file, rendered[key as keyof typeof SCHEMA_FILES]);
  return `wrote ${Object.values(SCHEMA_FILES).join(' and ')}`;
});
