import type { Block, StackView, Verdict, Violation } from '../rule';

/**
 * Functions the constructs call in expressions (through cdktf's `Fn`), all pure: none
 * reads a file, the environment or the network. A function outside this list in a value
 * (`file`, `templatefile`, `filebase64`, ...) came from somewhere else: a user's string.
 */
export const CODE_FUNCTIONS: readonly string[] = [
  'base64decode',
  'concat',
  'contains',
  'element',
  'format',
  'join',
  'jsonencode',
  'keys',
  'length',
  'lookup',
  'lower',
  'merge',
  'replace',
  'split',
  'tolist',
  'tomap',
  'toset',
  'upper',
  'values',
  'zipmap',
];

/** What an expression of the code starts from: `aws_*` and other resource types, `data.`, `var.`, `local.`, `terraform.workspace` (remote state). */
const CODE_ROOT = /^([a-z][a-z0-9]*_[a-z0-9_]+|data|var|local|module|each|count|terraform)$/;
const LITERALS = new Set(['true', 'false', 'null']);

/**
 * No value carries a Terraform template sequence that the code did not write: every
 * `${...}` must be a reference to a resource, data source, variable or local, or a call of
 * one of CODE_FUNCTIONS; `%{...}` directives never come from the code. Escaped sequences
 * (`$${`, `%%{`) are literal text and pass.
 */
export function noTemplateInjection(block: Block, _stack: StackView): Verdict {
  const found: string[] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      for (const problem of templateProblems(value)) found.push(`${where || 'a value'}: ${problem}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, `${where}[${i}]`);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        for (const problem of templateProblems(key)) found.push(`the key '${key}' of ${where || 'the block'}: ${problem}`);
        visit(item, where ? `${where}.${key}` : key);
      }
    }
  };
  visit(block.config, '');
  return found.map(
    (problem): Violation => ({
      problem: `${problem}, which no construct writes: a string from a settings file reached Terraform unescaped and would be evaluated at plan time`,
      fix: "validate the field to a grammar without '$', '%' and '{' in config/schema.ts, or pass it through terraformLiteral() (config/terraform-literal.ts) where it enters the model",
    }),
  );
}

/** The template sequences of one string that are not the code's, each as a short description. */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  scanTemplate(text, 0, false, problems);
  return problems;
}

/** Scans template text from `start`; inside a quoted expression string it stops at the closing quote. Returns the index after it. */
function scanTemplate(text: string, start: number, quoted: boolean, problems: string[]): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (quoted && c === '\\') {
      i += 2;
      continue;
    }
    if (quoted && c === '"') return i + 1;
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 3; // `$${` and `%%{` are the escapes for the literal characters
      continue;
    }
    if (c === '%' && text[i + 1] === '{') {
      const end = scanExpression(text, i + 2, []);
      problems.push(`the template directive '${shorten(text.slice(i, end))}'`);
      i = end;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const code: string[] = [];
      const end = scanExpression(text, i + 2, code, problems);
      const reason = expressionProblem(code.join(''));
      if (reason) problems.push(`the expression '${shorten(text.slice(i, end))}' (${reason})`);
      i = end;
      continue;
    }
    i++;
  }
  return i;
}

/** Scans an expression up to its closing brace, collecting its code (string literals left out, their templates checked). */
function scanExpression(text: string, start: number, code: string[], problems: string[] = []): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      code.push('""');
      i = scanTemplate(text, i + 1, true, problems);
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    code.push(c);
    i++;
  }
  return i;
}

function expressionProblem(code: string): string | undefined {
  if (code.trim() === '') return 'empty';
  const identifier = /[A-Za-z_][\w-]*/g;
  for (let match = identifier.exec(code); match; match = identifier.exec(code)) {
    const name = match[0];
    const before = code.slice(0, match.index).trimEnd();
    const after = code.slice(match.index + name.length).trimStart();
    if (before.endsWith('.')) continue; // an attribute of a reference
    if (after.startsWith('(')) {
      if (!CODE_FUNCTIONS.includes(name)) return `calls ${name}(), which no construct calls`;
      continue;
    }
    if (after.startsWith('=') && !after.startsWith('==')) continue; // an object key
    if (LITERALS.has(name) || CODE_ROOT.test(name)) continue;
    return `refers to '${name}', which is no resource, data source, variable or local`;
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
