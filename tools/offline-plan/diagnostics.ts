/**
 * Terraform's diagnostics, mapped back to the construct that wrote the block. cdktf records
 * each block's construct path in its `//` metadata; a diagnostic names the block by its
 * address or, failing that, by a line of the offline `cdk.tf.json`, which this tool wrote
 * itself and can therefore read back by line.
 */
import { isRecord, recordAt } from '../../kernel/records';
import { constructPathOf } from '../../kernel/terraform-json';
import type { DiagnosticStage, PlanDiagnostic, TerraformJson } from './types';

/** The shape Terraform uses in `-json` output. */
interface TerraformDiagnostic {
  readonly severity?: string;
  readonly summary?: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename?: string; readonly start?: { readonly line?: number } };
  readonly snippet?: { readonly context?: string | null };
}

/** The offline configuration as written: JSON with two-space indentation, blocks found by line. */
export function formatConfig(config: TerraformJson): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

export class ConfigLocator {
  private readonly addressByLine: (string | undefined)[] = [];

  constructor(
    private readonly config: TerraformJson,
    text: string,
  ) {
    let kind: string | undefined;
    let type: string | undefined;
    let current: string | undefined;
    for (const line of text.split('\n')) {
      const top = /^ {2}"((?:[^"\\]|\\.)*)": /.exec(line);
      const second = /^ {4}"((?:[^"\\]|\\.)*)": [{[]/.exec(line);
      const third = /^ {6}"((?:[^"\\]|\\.)*)": \{/.exec(line);
      if (top) [kind, type, current] = [JSON.parse(`"${top[1]}"`) as string, undefined, undefined];
      else if (second) [type, current] = [JSON.parse(`"${second[1]}"`) as string, undefined];
      if ((kind === 'resource' || kind === 'data') && type && third)
        current = `${kind === 'data' ? 'data.' : ''}${type}.${JSON.parse(`"${third[1]}"`) as string}`;
      this.addressByLine.push(current);
      if (/^ {6}\}/.test(line)) current = undefined;
    }
  }

  /** `aws_x.name`, `data.aws_x.name`, with instance keys and module prefixes removed. */
  static normalize(address: string): string {
    return address.replace(/^(module\.[^.]+\.)+/, '').replace(/\[[^\]]*\]/g, '');
  }

  constructPathOf(address: string): string | undefined {
    const parts = ConfigLocator.normalize(address).split('.');
    const [kind, type, name] = parts[0] === 'data' ? ['data', parts[1], parts[2]] : ['resource', parts[0], parts[1]];
    return type && name ? constructPathOf(recordAt(this.config, kind, type, name)) : undefined;
  }

  addressAtLine(line: number): string | undefined {
    return this.addressByLine[line - 1];
  }

  toPlanDiagnostic(stage: DiagnosticStage, raw: TerraformDiagnostic): PlanDiagnostic {
    const fromContext = /^(resource|data)\.([^.]+)\.([^.]+)$/.exec(raw.snippet?.context ?? '');
    const line = raw.range?.start?.line;
    const address =
      (raw.address && ConfigLocator.normalize(raw.address)) ??
      (fromContext ? `${fromContext[1] === 'data' ? 'data.' : ''}${fromContext[2]}.${fromContext[3]}` : undefined) ??
      (line !== undefined ? this.addressAtLine(line) : undefined);
    return {
      severity: raw.severity === 'warning' ? 'warning' : 'error',
      stage,
      summary: raw.summary ?? 'Terraform reported a problem without a summary',
      detail: raw.detail || undefined,
      address,
      constructPath: address ? this.constructPathOf(address) : undefined,
    };
  }
}

/** Diagnostics of `terraform validate -json` (one JSON document). */
export function validateDiagnostics(stdout: string): TerraformDiagnostic[] | undefined {
  try {
    const parsed = JSON.parse(stdout) as { diagnostics?: TerraformDiagnostic[] };
    return Array.isArray(parsed.diagnostics) ? parsed.diagnostics : [];
  } catch {
    return undefined;
  }
}

/** Diagnostics of a machine-readable UI stream (`init -json`, `plan -json`: one JSON message per line). */
export function streamDiagnostics(stdout: string): TerraformDiagnostic[] {
  const found: TerraformDiagnostic[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const message = JSON.parse(line) as { type?: string; diagnostic?: unknown };
      if (message.type === 'diagnostic' && isRecord(message.diagnostic)) found.push(message.diagnostic as TerraformDiagnostic);
    } catch {
      // not a UI message
    }
  }
  return found;
}

/** A failed command whose output held no diagnostic still becomes one, with Terraform's own words. */
export function commandFailure(stage: DiagnosticStage, code: number, stderr: string, stdout: string): PlanDiagnostic {
  const text = (stderr.trim() || stdout.trim()).split('\n').slice(-12).join('\n');
  return { severity: 'error', stage, summary: `terraform ${stage} failed (exit code ${code})`, detail: text || undefined };
}
