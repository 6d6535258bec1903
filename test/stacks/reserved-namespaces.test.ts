/**
 * Every namespace the platform itself puts something into, read from the synthesized
 * output, must be one no tenant can take: a future add-on that installs into a new
 * namespace fails here until the namespace is reserved in config/reserved-namespaces.ts.
 */
import { loadConfig } from '../../config/load';
import { isReservedTenantName, TENANT_STACK_PREFIX } from '../../config/names';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../support/config-fixtures';
import { synthPlatform, type StackJson } from '../support/synth';

/** Namespaces named anywhere in a stack: `namespace` values, namespace objects and Namespace manifests. */
function namespacesIn(stack: StackJson): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, type: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, type);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(object)) {
      if (key === '//') continue;
      // A reference (`${kubernetes_namespace_v1...}`) points at a namespace object, which is read itself.
      const literal = (n: unknown): n is string => typeof n === 'string' && !n.startsWith('${');
      if (key === 'namespace' && literal(child)) found.add(child);
      if (key === 'namespaces' && Array.isArray(child)) for (const n of child.filter(literal)) found.add(n);
      walk(child, type);
    }
    if (object.kind === 'Namespace' && typeof (object.metadata as Record<string, unknown> | undefined)?.name === 'string')
      found.add((object.metadata as { name: string }).name);
  };
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const body of Object.values(blocks)) {
      if (type.startsWith('kubernetes_namespace')) {
        const metadata = (Array.isArray(body.metadata) ? body.metadata[0] : body.metadata) as { name?: unknown } | undefined;
        if (typeof metadata?.name === 'string') found.add(metadata.name);
      }
      walk(body, type);
    }
  }
  return found;
}

describe('platform namespaces', () => {
  const { platform } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
  const { stacks } = synthPlatform();
  const platformNamespaces = new Map<string, string>();
  for (const [name, stack] of Object.entries(stacks)) {
    const ownNamespace = name.startsWith(TENANT_STACK_PREFIX) ? name.slice(TENANT_STACK_PREFIX.length) : undefined;
    for (const namespace of namespacesIn(stack)) if (namespace !== ownNamespace) platformNamespaces.set(namespace, name);
  }

  test('finds the namespaces the platform installs into (the scan reads the output)', () => {
    expect(platformNamespaces.get('kube-system')).toBeDefined();
  });

  test('every namespace the platform uses outside tenant namespaces is reserved, so no tenant can be named after it', () => {
    const open = [...platformNamespaces].filter(([namespace]) => !isReservedTenantName(namespace, platform.name));
    expect(open.map(([namespace, stack]) => `${namespace} (stack ${stack})`)).toEqual([]);
  });

  test('a tenant namespace is its name, and only its own stack names it', () => {
    for (const tenant of ['analytics', 'fraud-detection', 'recsys-inference']) {
      expect(namespacesIn(stacks[`tenant-${tenant}`])).toContain(tenant);
      expect(platformNamespaces.has(tenant)).toBe(false);
    }
  });
});
