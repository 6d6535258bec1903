/**
 * The project's one test for a JSON object, and the small accessors built on it. Every
 * layer reads untyped JSON (tenant files, synthesized stacks, plans, reports) through these.
 */

/** A JSON-like object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON-like object, else undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return isRecord(value) ? value : undefined;
}

/** The object at `keys` below `value`, or undefined when any step is missing or not an object. */
export function recordAt(value: unknown, ...keys: readonly string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isRecord(current) ? current : undefined;
}

/** A plain object (not an array, a token or another class instance), as documents and resolved configuration hold. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
