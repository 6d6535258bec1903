/**
 * CEL evaluation for the admission layer, with @bufbuild/cel. A failed evaluation is
 * returned (not thrown) by the evaluator; it is reported here as an error for the caller to
 * apply the policy's failurePolicy to, never read as "false".
 */
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';

export type CelOutcome = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'error'; readonly message: string };

type Program = (bindings: Record<string, CelInput>) => unknown;

const env = celEnv();
const programs = new Map<string, Program | string>();

function compile(expression: string): Program | string {
  let program = programs.get(expression);
  if (program === undefined) {
    try {
      program = plan(env, parse(expression)) as Program;
    } catch (error) {
      program = `does not parse: ${error instanceof Error ? error.message : String(error)}`;
    }
    programs.set(expression, program);
  }
  return program;
}

/** Evaluates an expression over plain JSON bindings (`object`, `oldObject`, `namespaceObject`, `request`). */
export function evaluate(expression: string, bindings: Record<string, unknown>): CelOutcome {
  const program = compile(expression);
  if (typeof program === 'string') return { kind: 'error', message: program };
  let result: unknown;
  try {
    result = program(bindings as Record<string, CelInput>);
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (isCelError(result)) return { kind: 'error', message: result.message };
  return { kind: 'value', value: result };
}
