/** Turns zod issues into positioned, readable config issues. */
import type { z } from 'zod';
import { closest, type ConfigIssue, type FieldPath } from './issues';
import { issueAt, type YamlSource } from './source';

type AnySchema = z.core.$ZodType;

/** The schema that describes the value at `path`, looking through optional, arrays and records. */
function schemaAt(schema: AnySchema, path: FieldPath): AnySchema | undefined {
  let current: AnySchema | undefined = schema;
  for (const part of path) {
    current = unwrap(current);
    const def = current?._zod.def as unknown as Record<string, unknown> | undefined;
    if (!def) return undefined;
    if (def.type === 'object') current = (def.shape as Record<string, AnySchema>)[String(part)];
    else if (def.type === 'array') current = def.element as AnySchema;
    else if (def.type === 'record') current = def.valueType as AnySchema;
    else return undefined;
  }
  return unwrap(current);
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let current = schema;
  while (current) {
    const def = current._zod.def as unknown as { type: string; innerType?: AnySchema };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) current = def.innerType;
    else break;
  }
  return current;
}

function knownKeys(schema: AnySchema, path: FieldPath): string[] {
  const at = schemaAt(schema, path);
  const def = at?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

/**
 * Keys a newer version of the platform replaced, by their path: what replaces them, instead of
 * a did-you-mean that would point at an unrelated key.
 */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  'cluster.generalNodes.minNodes': "the general pool is a Karpenter NodePool that starts at zero: remove it (docs/gpu-pools.md, 'The general CPU pool')",
  'cluster.generalNodes.maxNodes':
    'the general pool is capped by maxCpu and maxMemoryGi (its NodePool limits): replace it by them, e.g. 20 nodes of 16 vCPUs, 64 GiB: maxCpu: 320, maxMemoryGi: 1280',
  'cluster.generalNodes.desiredNodes': 'Karpenter sizes the general pool to the pending pods: remove it',
};

export function schemaIssues(schema: AnySchema, source: YamlSource, data: unknown, error: z.core.$ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const keys = knownKeys(schema, path);
      for (const key of issue.keys) {
        const suggestion = closest(key, keys);
        const replaced = REPLACED_KEYS[[...path, key].filter((part) => typeof part === 'string').join('.')];
        const hint = replaced ?? (suggestion ? `did you mean '${suggestion}'?` : `allowed keys here: ${keys.join(', ')}`);
        out.push(issueAt(source, [...path, key], `unknown key '${key}': ${hint}`, { key: true }));
      }
      continue;
    }
    const value = valueAt(data, path);
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      message = value === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(value)}`;
    } else if (issue.code === 'invalid_value') {
      message = `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}, got ${describeValue(value)}`;
    } else if (issue.code === 'too_small') {
      const min = Number(issue.minimum);
      message = Array.isArray(value)
        ? `must list at least ${min} item${min === 1 ? '' : 's'}`
        : typeof value === 'string'
          ? issue.message
          : `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${min}, got ${describeValue(value)}`;
    } else if (issue.code === 'too_big') {
      message =
        typeof value === 'string'
          ? `must be at most ${String(issue.maximum)} characters, got ${value.length}`
          : `must be at most ${String(issue.maximum)}, got ${describeValue(value)}`;
    } else if (issue.code === 'invalid_format' || issue.code === 'custom') {
      message = `${issue.message}, got ${describeValue(value)}`;
    }
    out.push(issueAt(source, path, message));
  }
  return out;
}
