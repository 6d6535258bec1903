/**
 * The layers of the code base and the checker the import test runs: every production file
 * belongs to a unit, every unit to a layer, and an import may only go to a lower layer
 * (or stay inside its own unit). Units of the same layer (the guardrails, the proof and
 * each tool) do not import each other: what they share lives lower, in kernel/ or config/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** Units by layer, lowest first. A unit is a top-level folder, a folder under tools/, or a top-level file. */
export const LAYERS: readonly (readonly string[])[] = [
  ['kernel'],
  ['config'],
  ['constructs'],
  ['stacks'],
  // Schema validation of the synthesized in-cluster objects, which the offline plan and the proof's tests use.
  ['tools/kubernetes-schema'],
  ['guardrails', 'proof', 'tools/offline-plan', 'tools/plan-review', 'tools/tenant'],
  ['synth'],
  ['bin'],
  ['bench', 'main.ts'],
];

export interface Violation {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** The unit of a repository-relative file, or undefined when it belongs to none. */
export function unitOf(file: string): string | undefined {
  const parts = file.split('/');
  const candidates = parts.length === 1 ? [parts[0]] : [parts[0], `${parts[0]}/${parts[1]}`];
  return candidates.reverse().find((candidate) => LAYERS.some((layer) => layer.includes(candidate)));
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Relative imports of a TypeScript source (import, export from, import(), require()), as repository-relative files. */
export function importsOf(file: string, source: string, exists: (candidate: string) => boolean): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      return [`${base}.ts`, `${base}/index.ts`, base].find(exists) ?? `${base}.ts`;
    });
}

/** Every violation of the layering in a graph of repository-relative files: unit, direction, test code, cycles. */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>): Violation[] {
  const violations: Violation[] = [];
  for (const [from, targets] of graph) {
    const fromUnit = unitOf(from);
    if (fromUnit === undefined) {
      violations.push({ from, to: '', reason: `${from} belongs to no layer; add its folder to LAYERS in test/support/layers.ts` });
      continue;
    }
    for (const to of targets) {
      if (to.startsWith('test/')) {
        violations.push({ from, to, reason: `${from} imports test code ${to}; move what it needs out of test/` });
        continue;
      }
      const toUnit = unitOf(to);
      if (toUnit === undefined || toUnit === fromUnit) continue;
      const [fromLayer, toLayer] = [layerOf(fromUnit), layerOf(toUnit)];
      if (toLayer > fromLayer) violations.push({ from, to, reason: `${from} (${fromUnit}) imports ${to} (${toUnit}), a higher layer` });
      else if (toLayer === fromLayer)
        violations.push({ from, to, reason: `${from} (${fromUnit}) imports ${to} (${toUnit}), a unit of the same layer; move what both need lower` });
    }
  }
  for (const cycle of cyclesOf(graph))
    violations.push({ from: cycle[0], to: cycle[cycle.length - 1], reason: `import cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  return violations;
}

/** The strongly connected components of more than one file (and files importing themselves), by Tarjan's algorithm. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.reverse());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

const SKIPPED = /^(node_modules|cdktf\.out.*|dist|coverage|test|\..*)$/;

/** The import graph of the repository's production TypeScript (everything outside test/). */
export function productionImportGraph(root: string): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED.test(entry.name)) walk(relative);
      else if (entry.isFile() && entry.name.endsWith('.ts')) files.push(relative);
    }
  };
  walk('');
  const known = new Set(files);
  const exists = (candidate: string) => known.has(candidate);
  return new Map(files.map((file) => [file, importsOf(file, readFileSync(path.join(root, file), 'utf8'), exists)]));
}
