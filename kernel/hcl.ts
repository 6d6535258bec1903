/**
 * The subset of Terraform's expression language that cdktf writes into `cdk.tf.json`:
 * string templates with `${...}`, object and tuple constructors, references
 * (`aws_s3_bucket.x.arn`, `data.terraform_remote_state.y.outputs.z`, `a.b[0].c`) and
 * function calls. Anything outside the subset is an error, never a guess: the
 * isolation proof must not pass on a policy it could not read. The one parser of `${...}`
 * references: the guardrails, the offline plan and the plan review read references here.
 */

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** One step of a reference after its root name: `.name` or `[0]` / `["key"]`. */
export type TraversalStep = string | number;

export interface Reference {
  readonly root: string;
  readonly steps: readonly TraversalStep[];
}

type Expr =
  | { readonly kind: 'literal'; readonly value: HclValue }
  | { readonly kind: 'template'; readonly parts: readonly (string | Expr)[] }
  | { readonly kind: 'tuple'; readonly items: readonly Expr[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly kind: 'reference'; readonly reference: Reference }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: 'index'; readonly target: Expr; readonly steps: readonly TraversalStep[] };

/** An expression the evaluator does not support or cannot evaluate. */
export class HclError extends Error {}

export interface EvaluationContext {
  /** The value of a reference, or throws (HclError or the caller's own error). */
  reference(reference: Reference): HclValue;
}

/** Renders a reference the way Terraform writes it, for error messages. */
export function formatReference(reference: Reference): string {
  return reference.root + reference.steps.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

/**
 * Evaluates a string value of the synthesized JSON as a Terraform template. A template
 * that is exactly one interpolation yields the value itself (an object stays an object),
 * as in Terraform.
 */
export function evaluateTemplate(text: string, context: EvaluationContext): HclValue {
  const parser = new Parser(text);
  const template = parser.templateUntil(null);
  return evaluate(template, context);
}

/** Every reference in a template, without evaluating it (for dependency and error reporting). */
export function referencesIn(text: string): Reference[] {
  const found: Reference[] = [];
  const visit = (expr: Expr | string): void => {
    if (typeof expr === 'string') return;
    switch (expr.kind) {
      case 'literal':
        return;
      case 'template':
        expr.parts.forEach(visit);
        return;
      case 'tuple':
        expr.items.forEach(visit);
        return;
      case 'object':
        for (const [key, value] of expr.entries) {
          visit(key);
          visit(value);
        }
        return;
      case 'reference':
        found.push(expr.reference);
        return;
      case 'call':
        expr.args.forEach(visit);
        return;
      case 'index':
        visit(expr.target);
        return;
    }
  };
  visit(new Parser(text).templateUntil(null));
  return found;
}

/**
 * The reference when `text` is exactly one interpolation of a plain reference, such as
 * `${aws_s3_bucket.data_1A2B.arn}`; undefined for anything else (literal text, a
 * template with more parts, a function call, text outside the subset). Never throws.
 */
export function soleReference(text: string): Reference | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  let template: Expr;
  try {
    template = new Parser(text).templateUntil(null);
  } catch {
    return undefined;
  }
  if (template.kind !== 'template' || template.parts.length !== 1) return undefined;
  const [only] = template.parts;
  return typeof only !== 'string' && only.kind === 'reference' ? only.reference : undefined;
}

/** The references of a template, or none when the text is outside the subset; never throws. */
export function referencesInOrNone(text: string): Reference[] {
  try {
    return referencesIn(text);
  } catch {
    return [];
  }
}

/** Whether `text` holds an interpolation Terraform evaluates: `${`, but not the escaped `$${` of IAM policy variables. */
export function hasInterpolation(text: string): boolean {
  return /(^|[^$])\$\{/.test(text);
}

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_-]/;

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  private fail(message: string): never {
    const near = this.src.slice(Math.max(0, this.pos - 20), this.pos + 20);
    throw new HclError(`${message} at character ${this.pos} (near '${near}')`);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.pos++;
  }

  /** Literal text and interpolations up to `end` (a quote inside an expression, or the end of input). */
  templateUntil(end: '"' | null): Expr {
    const parts: (string | Expr)[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= this.src.length) {
        if (end !== null) this.fail('unterminated string');
        break;
      }
      const char = this.src[this.pos];
      if (end !== null && char === end) {
        this.pos++;
        break;
      }
      if (char === '$' && this.peek(1) === '$' && this.peek(2) === '{') {
        text += '${';
        this.pos += 3;
      } else if (char === '%' && this.peek(1) === '%' && this.peek(2) === '{') {
        text += '%{';
        this.pos += 3;
      } else if (char === '%' && this.peek(1) === '{') {
        this.fail('template directives (%{...}) are not supported');
      } else if (char === '$' && this.peek(1) === '{') {
        this.pos += 2;
        if (this.peek() === '~') this.fail('strip markers (${~) are not supported');
        if (text) parts.push(text);
        text = '';
        parts.push(this.expression());
        this.skipSpace();
        if (this.peek() !== '}') this.fail("expected '}' closing the interpolation");
        this.pos++;
      } else if (end !== null && char === '\\') {
        text += this.escape();
      } else {
        text += char;
        this.pos++;
      }
    }
    if (text || parts.length === 0) parts.push(text);
    return { kind: 'template', parts };
  }

  private escape(): string {
    const next = this.peek(1);
    this.pos += 2;
    switch (next) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u': {
        const hex = this.src.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        return this.fail(`unsupported escape '\\${next}'`);
    }
  }

  expression(): Expr {
    this.skipSpace();
    let expr = this.primary();
    const steps: TraversalStep[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === '[') {
        this.pos++;
        steps.push(this.indexKey());
        this.expect(']');
      } else if (this.peek() === '.' && expr.kind !== 'reference') {
        this.pos++;
        steps.push(this.identifier());
      } else {
        break;
      }
    }
    if (steps.length > 0) {
      expr =
        expr.kind === 'reference'
          ? { kind: 'reference', reference: { root: expr.reference.root, steps: [...expr.reference.steps, ...steps] } }
          : { kind: 'index', target: expr, steps };
    }
    this.skipSpace();
    const next = this.peek();
    if (next && /[+\-*/%<>!&|?]/.test(next) && !(next === '-' && this.peek(1) === '>')) {
      this.fail(`operator '${next}' is not supported`);
    }
    if (next === '=' && this.peek(1) === '=') this.fail("operator '==' is not supported");
    return expr;
  }

  private indexKey(): TraversalStep {
    this.skipSpace();
    if (this.peek() === '"') {
      this.pos++;
      const key = this.templateUntil('"');
      if (key.kind === 'template' && key.parts.length === 1 && typeof key.parts[0] === 'string') return key.parts[0];
      return this.fail('computed index keys are not supported');
    }
    const match = /^\d+/.exec(this.src.slice(this.pos));
    if (!match) return this.fail('expected a number or a quoted key as index');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private identifier(): string {
    this.skipSpace();
    if (!IDENTIFIER_START.test(this.peek())) this.fail('expected a name');
    const start = this.pos;
    while (this.pos < this.src.length && IDENTIFIER_PART.test(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private primary(): Expr {
    this.skipSpace();
    const char = this.peek();
    if (char === '"') {
      this.pos++;
      return this.templateUntil('"');
    }
    if (char === '[') return this.tuple();
    if (char === '{') return this.object();
    if (char === '(') {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(this.peek(1)))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
      if (!match) return this.fail('bad number');
      this.pos += match[0].length;
      return { kind: 'literal', value: Number(match[0]) };
    }
    if (IDENTIFIER_START.test(char)) {
      const name = this.identifier();
      if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
      if (name === 'null') return { kind: 'literal', value: null };
      this.skipSpace();
      if (this.peek() === '(') return this.call(name);
      const steps: TraversalStep[] = [];
      for (;;) {
        if (this.peek() === '.' && IDENTIFIER_START.test(this.peek(1))) {
          this.pos++;
          steps.push(this.identifier());
        } else if (this.peek() === '.' && /[0-9]/.test(this.peek(1))) {
          this.pos++;
          const match = /^\d+/.exec(this.src.slice(this.pos));
          this.pos += match ? match[0].length : 0;
          steps.push(Number(match?.[0]));
        } else if (this.peek() === '[') {
          this.pos++;
          if (this.peek() === '*' || this.peek() === ']') this.fail('splat expressions are not supported');
          steps.push(this.indexKey());
          this.expect(']');
        } else {
          break;
        }
      }
      return { kind: 'reference', reference: { root: name, steps } };
    }
    return this.fail(char ? `unexpected '${char}'` : 'unexpected end of expression');
  }

  private call(name: string): Expr {
    this.expect('(');
    const args: Expr[] = [];
    this.skipSpace();
    while (this.peek() !== ')') {
      args.push(this.expression());
      this.skipSpace();
      if (this.peek() === '.' && this.peek(1) === '.' && this.peek(2) === '.') this.fail('argument expansion (...) is not supported');
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== ')') {
        this.fail("expected ',' or ')' in the argument list");
      }
    }
    this.pos++;
    return { kind: 'call', name, args };
  }

  private tuple(): Expr {
    this.expect('[');
    const items: Expr[] = [];
    this.skipSpace();
    if (this.peek() === 'f' && /^for\s/.test(this.src.slice(this.pos))) this.fail('for expressions are not supported');
    while (this.peek() !== ']') {
      items.push(this.expression());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== ']') {
        this.fail("expected ',' or ']' in the tuple");
      }
    }
    this.pos++;
    return { kind: 'tuple', items };
  }

  private object(): Expr {
    this.expect('{');
    const entries: (readonly [Expr, Expr])[] = [];
    this.skipSpace();
    if (this.peek() === 'f' && /^for\s/.test(this.src.slice(this.pos))) this.fail('for expressions are not supported');
    while (this.peek() !== '}') {
      let key: Expr;
      if (this.peek() === '"') {
        this.pos++;
        key = this.templateUntil('"');
      } else if (this.peek() === '(') {
        key = this.primary();
      } else {
        key = { kind: 'literal', value: this.identifier() };
      }
      this.skipSpace();
      if (this.peek() !== '=' && this.peek() !== ':') this.fail("expected '=' or ':' after an object key");
      this.pos++;
      entries.push([key, this.expression()]);
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++;
    return { kind: 'object', entries };
  }
}

function describe(value: HclValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function asString(value: HclValue, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new HclError(`${what} must be a string, got ${describe(value)}`);
}

function asList(value: HclValue, what: string): HclValue[] {
  if (Array.isArray(value)) return value;
  throw new HclError(`${what} must be a list, got ${describe(value)}`);
}

function format(spec: string, args: HclValue[]): string {
  let next = 0;
  return spec.replace(/%(%|[sdvq])/g, (_match, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) throw new HclError(`format: not enough arguments for '${spec}'`);
    const arg = args[next++];
    if (verb === 'd') {
      if (typeof arg !== 'number' || !Number.isInteger(arg)) throw new HclError(`format: %d needs an integer, got ${describe(arg)}`);
      return String(arg);
    }
    if (verb === 'q') return JSON.stringify(asString(arg, 'format %q argument'));
    if (verb === 'v' && typeof arg === 'object' && arg !== null) return JSON.stringify(arg);
    return asString(arg, `format %${verb} argument`);
  });
}

/** Terraform functions the synthesized policies use. Unknown ones are errors. */
const FUNCTIONS: Record<string, (args: HclValue[]) => HclValue> = {
  jsonencode: ([value, ...rest]) => {
    if (rest.length > 0 || value === undefined) throw new HclError('jsonencode takes one argument');
    return JSON.stringify(value);
  },
  jsondecode: ([text]) => {
    try {
      return JSON.parse(asString(text, 'jsondecode argument')) as HclValue;
    } catch {
      throw new HclError('jsondecode: not valid JSON');
    }
  },
  replace: ([value, search, replacement]) => {
    const subject = asString(value, 'replace subject');
    const needle = asString(search, 'replace search');
    if (needle.length > 1 && needle.startsWith('/') && needle.endsWith('/')) throw new HclError('replace with a regular expression is not supported');
    return subject.split(needle).join(asString(replacement, 'replace replacement'));
  },
  format: ([spec, ...args]) => format(asString(spec, 'format string'), args),
  zipmap: ([keys, values]) => {
    const keyList = asList(keys, 'zipmap keys');
    const valueList = asList(values, 'zipmap values');
    if (keyList.length !== valueList.length) throw new HclError(`zipmap: ${keyList.length} keys but ${valueList.length} values`);
    return Object.fromEntries(keyList.map((key, i) => [asString(key, 'zipmap key'), valueList[i]]));
  },
  base64decode: ([value]) => Buffer.from(asString(value, 'base64decode argument'), 'base64').toString('utf8'),
  base64encode: ([value]) => Buffer.from(asString(value, 'base64encode argument'), 'utf8').toString('base64'),
  join: ([separator, list]) =>
    asList(list, 'join list')
      .map((item) => asString(item, 'join item'))
      .join(asString(separator, 'join separator')),
  lookup: ([map, key, fallback, ...rest]) => {
    if (rest.length > 0 || map === null || typeof map !== 'object' || Array.isArray(map))
      throw new HclError('lookup takes a map, a key and an optional default');
    const name = asString(key, 'lookup key');
    if (Object.hasOwn(map, name)) return map[name];
    if (fallback === undefined) throw new HclError(`lookup: no key '${name}' and no default`);
    return fallback;
  },
  lower: ([value]) => asString(value, 'lower argument').toLowerCase(),
  upper: ([value]) => asString(value, 'upper argument').toUpperCase(),
  tostring: ([value]) => asString(value, 'tostring argument'),
  concat: (lists) => lists.flatMap((list) => asList(list, 'concat argument')),
  merge: (objects) => {
    const merged: Record<string, HclValue> = {};
    for (const object of objects) {
      if (object === null || typeof object !== 'object' || Array.isArray(object))
        throw new HclError(`merge arguments must be objects, got ${describe(object)}`);
      Object.assign(merged, object);
    }
    return merged;
  },
};

export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

function indexInto(value: HclValue, steps: readonly TraversalStep[], what: string): HclValue {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (Array.isArray(current)) {
        if (step >= current.length) throw new HclError(`${what}: index ${step} out of range`);
        current = current[step];
      } else if (step === 0 && current !== null && typeof current === 'object') {
        // cdktf writes single nested blocks as objects while references index them as lists.
      } else {
        throw new HclError(`${what}: cannot index ${describe(current)} with [${step}]`);
      }
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(step in current)) {
        throw new HclError(`${what}: no attribute '${step}'`);
      }
      current = current[step];
    }
  }
  return current;
}

function evaluate(expr: Expr, context: EvaluationContext): HclValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template': {
      if (expr.parts.length === 1) {
        const [only] = expr.parts;
        return typeof only === 'string' ? only : evaluate(only, context);
      }
      return expr.parts.map((part) => (typeof part === 'string' ? part : asString(evaluate(part, context), 'interpolated value'))).join('');
    }
    case 'tuple':
      return expr.items.map((item) => evaluate(item, context));
    case 'object':
      return Object.fromEntries(expr.entries.map(([key, value]) => [asString(evaluate(key, context), 'object key'), evaluate(value, context)]));
    case 'reference':
      return context.reference(expr.reference);
    case 'call': {
      const fn = FUNCTIONS[expr.name];
      if (!fn) throw new HclError(`function '${expr.name}' is not supported (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`);
      return fn(expr.args.map((arg) => evaluate(arg, context)));
    }
    case 'index':
      return indexInto(evaluate(expr.target, context), expr.steps, 'index');
  }
}

export { indexInto };
