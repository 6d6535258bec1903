/**
 * IAM policy documents as typed values, rendered with `jsonencode` so reviewers and tools
 * read them as JSON in the synthesized output (and tokens inside them still resolve).
 */
import { Fn } from 'cdktf';

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

/** The document as a Terraform `jsonencode(...)` expression. */
export function renderPolicy(document: PolicyDocument): string {
  const rendered = Fn.jsonencode(document);
  renderedDocuments.set(rendered, document);
  return rendered;
}

/** The typed document behind a value `renderPolicy` returned, if it is one. */
export function renderedPolicyDocument(value: string): PolicyDocument | undefined {
  return renderedDocuments.get(value);
}
