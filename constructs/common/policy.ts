/**
 * IAM policy documents as typed values, rendered with `jsonencode` so reviewers and tools
 * read them as JSON in the synthesized output (and tokens inside them still resolve).
 */
import { Fn, TerraformStack, Token, Tokenization, type IResolvable, type IResolveContext } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isPlainObject } from '../../kernel/records';
import { argumentRendererOf, type ArgumentRenderer } from './cdktf-internals';

export type Principal = '*' | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[]; readonly Federated?: string };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function stackOf(scope: IConstruct): TerraformStack | undefined {
  try {
    return TerraformStack.of(scope);
  } catch {
    return undefined;
  }
}

/** A list item that stands for a whole list (`Token.asList`, `Token.asNumberList`). */
function isListTokenItem(item: unknown): boolean {
  if (typeof item === 'string') return Tokenization.reverseList([item]) !== undefined;
  if (typeof item === 'number') return Tokenization.reverseNumberList([item]) !== undefined;
  return false;
}

/**
 * Whether the one-pass rendering below covers every value: plain objects and arrays of
 * strings (tokens included), numbers, booleans and null. Anything else (a token object, a
 * list or map token, a key with a token, a `__proto__` key) is left to cdktf's own rendering.
 */
function isPlainDocument(value: unknown): boolean {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every((item) => !isListTokenItem(item) && isPlainDocument(item));
  if (!isPlainObject(value)) return false;
  // cdktf's resolution drops a `__proto__` key (it assigns it, setting the prototype): such a document is left to cdktf.
  return Object.entries(value).every(
    ([key, item]) => key !== '__proto__' && !Token.isUnresolved(key) && Tokenization.reverseMap({ [key]: item }) === undefined && isPlainDocument(item),
  );
}

/**
 * The text cdktf's function call renders for `value`, walking the value once. cdktf
 * resolves the whole subtree at every nesting level before rendering its parts (a
 * statement is resolved once for the document, once for the list and once for itself);
 * here containers are rendered as cdktf renders them (`{"key" = value, ...}`, `[a, b]`,
 * undefined members left out) and each leaf goes through cdktf's own leaf rendering.
 */
function renderArgument(renderer: ArgumentRenderer, context: IResolveContext, value: unknown): unknown {
  if (Array.isArray(value)) {
    // cdktf drops undefined items, then renders the first items of the original list: kept as is.
    const count = value.filter((item) => item !== undefined).length;
    return `[${value
      .slice(0, count)
      .map((item) => renderArgument(renderer, context, item))
      .join(', ')}]`;
  }
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .map((key) => `"${key}" = ${renderArgument(renderer, context, value[key])}`)
      .join(', ')}}`;
  }
  // A leaf's value as cdktf returns it: joined into a list, null renders as nothing, as in cdktf.
  return renderer.resolveArg(context, value);
}

/**
 * `jsonencode(document)`, rendered in one pass and once per stack. cdktf resolves every
 * value of a stack in each pass (prepare, the guardrail check, the output) and, inside a
 * function call, resolves each nesting level of the argument again, so rendering policy
 * documents took a third of the synth time. The text depends only on the document and on
 * the stack it is resolved in (a reference to another stack's resource renders as that
 * stack's output), so later passes reuse it. The text is cdktf's own: the tests compare
 * it with `Fn.jsonencode` for generated documents.
 */
class PolicyExpression implements IResolvable {
  readonly creationStack: string[] = [];
  private readonly renderings = new Map<string, string>();

  constructor(
    private readonly call: ArgumentRenderer & IResolvable,
    readonly document: PolicyDocument,
    private readonly onePass: boolean,
  ) {}

  resolve(context: IResolveContext): unknown {
    const stack = context.iteratorContext === undefined ? stackOf(context.scope) : undefined;
    if (!stack) return this.call.resolve(context);
    const suppressBraces = context.suppressBraces === true;
    let expression = this.renderings.get(stack.node.path);
    if (expression === undefined) {
      expression = this.render(context);
      this.renderings.set(stack.node.path, expression);
    }
    // As cdktf's function call leaves it, for what cdktf resolves next in this context.
    context.suppressBraces = true;
    return suppressBraces ? expression : `\${${expression}}`;
  }

  /** What cdktf's function call does, with the one-pass walk over a plain document. */
  private render(context: IResolveContext): string {
    const { ignoreEscapes, warnEscapes } = context;
    context.suppressBraces = true;
    context.ignoreEscapes = true;
    context.warnEscapes = true;
    try {
      const argument = this.onePass ? renderArgument(this.call, context, this.document) : this.call.resolveArg(context, this.document);
      return `jsonencode(${String(argument)})`;
    } finally {
      context.ignoreEscapes = ignoreEscapes;
      context.warnEscapes = warnEscapes;
    }
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** The document as a Terraform `jsonencode(...)` expression. */
export function renderPolicy(document: PolicyDocument): string {
  const call = argumentRendererOf(Tokenization.reverseString(Fn.jsonencode(document)).firstToken);
  // cdktf's function-call token renders each leaf; a cdktf without it would break the rendering, so fail at once.
  if (!call) throw new Error('Fn.jsonencode returned no function-call token with resolveArg; the pinned cdktf changed');
  return Token.asString(new PolicyExpression(call, document, isPlainDocument(document)));
}

/**
 * The typed document behind a value `renderPolicy` returned, if it is one: the token
 * carries it, so the guardrails check the typed document instead of reading back the
 * rendered `jsonencode(...)` text (whose references and functions, `zipmap`, `format`, no
 * small parser reads reliably), with no table of documents kept beside the constructs.
 */
export function renderedPolicyDocument(value: string): PolicyDocument | undefined {
  if (!Token.isUnresolved(value)) return undefined;
  const fragments = Tokenization.reverseString(value);
  if (fragments.length !== 1) return undefined;
  const token = fragments.firstToken;
  return token instanceof PolicyExpression ? token.document : undefined;
}
