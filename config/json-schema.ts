/** JSON Schemas generated from the zod schemas, committed for editors (yaml-language-server). */
import { z } from 'zod';
import { platformSchema, tenantSchema } from './schema';

export const SCHEMA_FILES = {
  tenant: 'tenants/tenant.schema.json',
  platform: 'platform.schema.json',
} as const;

function render(schema: z.ZodType, title: string): string {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return `${JSON.stringify({ title, ...json }, null, 2)}\n`;
}

export function renderJsonSchemas(): Record<keyof typeof SCHEMA_FILES, string> {
  return {
    tenant: render(tenantSchema, 'ML platform tenant'),
    platform: render(platformSchema, 'ML platform settings'),
  };
}
