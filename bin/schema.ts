/** Writes the JSON Schemas that editors use for tenant files and platform.yaml. */
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILES, renderJsonSchemas } from '../config/json-schema';
import { runCli } from './cli';

export const USAGE = 'Usage: npm run schema\n\nRegenerates tenants/tenant.schema.json and platform.schema.json from config/schema.ts.';

/** The command without its frame: returns the result line or throws. */
export function main(_args: string[]): string {
  const rendered = renderJsonSchemas();
  for (const [key, file] of Object.entries(SCHEMA_FILES)) writeFileSync(file, rendered[key as keyof typeof SCHEMA_FILES]);
  return `wrote ${Object.values(SCHEMA_FILES).join(' and ')}`;
}

if (require.main === module) runCli('schema', USAGE, main);
