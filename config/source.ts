/**
 * YAML files with positions: parse once, then point any issue at the line and column of
 * the field it is about.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ConfigIssue, FieldPath } from './issues';

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

export interface ParsedYaml {
  readonly source: YamlSource;
  /** The plain data, or undefined when the file has syntax errors or is empty. */
  readonly data: unknown;
  readonly issues: ConfigIssue[];
}

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const source: YamlSource = { file, doc, lineCounter };
  const issues: ConfigIssue[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key '${keyText(text, error.pos)}': each key may appear once in a mapping; remove or merge the repeated one`
        : /Maximum call stack/.test(error.message)
          ? 'nested too deeply to read: a settings file needs a few levels of nesting, not thousands'
          : `YAML syntax error: ${error.message.split('\n')[0]}`;
    return { file, line: pos.line, col: pos.col, path: [], message };
  });
  if (issues.length > 0) return { source, data: undefined, issues };
  if (doc.contents === null || text.trim() === '') {
    return { source, data: undefined, issues: [{ file, path: [], message: 'file is empty: write the settings, or delete the file' }] };
  }
  if (!isMap(doc.contents)) {
    const pos = lineCounter.linePos(doc.contents.range?.[0] ?? 0);
    return {
      source,
      data: undefined,
      issues: [{ file, line: pos.line, col: pos.col, path: [], message: 'expected a mapping of keys to values at the top level' }],
    };
  }
  try {
    return { source, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), issues: [] };
  } catch (error) {
    // The yaml package refuses documents whose aliases expand too far (a "billion laughs" file).
    if (!(error instanceof ReferenceError)) throw error;
    return {
      source,
      data: undefined,
      issues: [
        {
          file,
          path: [],
          message: `too many YAML aliases (*name) or aliases that expand too far (limit ${MAX_ALIAS_COUNT}): write the values out instead of repeating them through anchors`,
        },
      ],
    };
  }
}

/** Aliases a file may resolve; a settings file needs few, an alias bomb needs many. */
const MAX_ALIAS_COUNT = 100;

/** The key a DUPLICATE_KEY error points at, as written (shortened when long). */
function keyText(text: string, pos: readonly [number, number]): string {
  const line = text.slice(pos[0]).split('\n')[0];
  const key = line.replace(/\s*:(\s.*)?$/, '').trim();
  return key.length > 60 ? `${key.slice(0, 57)}...` : key;
}

/** Node at `path`, or the deepest ancestor that exists. With `key`, the key node of that field. */
function nodeAt(source: YamlSource, path: FieldPath, key: boolean): YamlNode | undefined {
  let node: unknown = source.doc.contents;
  let found: YamlNode | undefined = node as YamlNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      const last = i === path.length - 1;
      node = last && key ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
    } else {
      break;
    }
    if (node && typeof node === 'object' && 'range' in node) found = node as YamlNode;
    else break;
  }
  return found;
}

export function positionOf(source: YamlSource, path: FieldPath, opts: { key?: boolean } = {}): { line: number; col: number } {
  const node = nodeAt(source, path, opts.key ?? false);
  const offset = node?.range?.[0] ?? 0;
  return source.lineCounter.linePos(offset);
}

export function issueAt(source: YamlSource, path: FieldPath, message: string, opts: { key?: boolean } = {}): ConfigIssue {
  const { line, col } = positionOf(source, path, opts);
  return { file: source.file, line, col, path, message };
}
