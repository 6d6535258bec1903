/**
 * IAM policy documents as typed values, rendered with `jsonencode` so reviewers and tools
 * read them as JSON in the synthesized output (and tokens inside them still resolve).
 */
import { Fn, TerraformStack, Token, Tokenization, type IResolvable, type IResolveContext } from 'cdktf';
import type { IConstruct } from 'constructs';

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

/**
 * Each rendered document by the token `renderPolicy` returned for it. The guardrails check
 * this typed document instead of reading back the rendered `jsonencode(...)` text, whose
 * references and functions (`zipmap`, `format`) no small parser reads reliably. Token
 * strings are unique within the process, so entries never collide.
 */
const renderedDocuments = new Map<string, PolicyDocument>();

function stackOf(scope: IConstruct): TerraformStack | undefined {
  try {
    return TerraformStack.of(scope);
  } catch {
    return undefined;
  }
}

/**
 * `jsonencode(document)`, rendered once per stack. cdktf resolves every value of a stack in
 * each pass (prepare, the guardrail check, the output) and, inside a function call,
 * resolves each nesting level of the argument again, so rendering policy documents took a
 * third of the synth time. The text depends only on the document and on the stack it is
 * resolved in (a reference to another stack's resource renders as that stack's output), so
 * later passes reuse it.
 */
class PolicyExpression implements IResolvable {
  readonly creationStack: string[] = [];
  private readonly renderings = new Map<string, unknown>();

  constructor(private readonly expression: IResolvable) {}

  resolve(context: IResolveContext): unknown {
    const stack = context.iteratorContext === undefined ? stackOf(context.scope) : undefined;
    if (!stack) return this.expression.resolve(context);
    const key = `${context.suppressBraces === true}\u0000${stack.node.path}`;
    if (!this.renderings.has(key)) this.renderings.set(key, this.expression.resolve(context));
    // As the function call itself leaves it, for what cdktf resolves next in this context.
    context.suppressBraces = true;
    return this.renderings.get(key);
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** The document as a Terraform `jsonencode(...)` expression. */
export function renderPolicy(document: PolicyDocument): string {
  const call = Tokenization.reverseString(Fn.jsonencode(document)).firstToken;
  if (!call) throw new Error('Fn.jsonencode returned no token');
  const rendered = Token.asString(new PolicyExpression(call));
  renderedDocuments.set(rendered, document);
  return rendered;
}

/** The typed document behind a value `renderPolicy` returned, if it is one. */
export function renderedPolicyDocument(value: string): PolicyDocument | undefined {
  return renderedDocuments.get(value);
}
