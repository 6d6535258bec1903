/**
 * The review as a pull-request comment. The first line carries the verdict and counts;
 * findings come next, then cost and checks, then tenants and the platform stacks. GitHub
 * rejects comments over 65,536 characters, so every section has a share of a 60,000
 * character budget (unused shares pass on to later sections) and is cut with a note when
 * it does not fit; details sit in collapsed `<details>` blocks that are always closed.
 */
import { accountStackName, TENANT_STACK_PREFIX, tenantStackName } from '../../config/names';
import type { CheckResult } from './checks';
import type { AttributeChange, BlockChange } from './compare';
import { HOURS_PER_MONTH, signedUsd, usd, type TenantCeiling } from '../../config/cost';
import type { CostRow, PlatformReview, Review, TenantReview, ReviewVerdict } from './review';
import type { PoolFacts, TenantFacts } from './tenant-facts';

export const COMMENT_LIMIT = 60_000;
/** Hidden marker the workflow uses to find and update its one comment. */
export const STICKY_MARKER = '<!-- plan-review -->';

export interface RenderOptions {
  /** Upper bound on the comment's length; Infinity writes everything. @default COMMENT_LIMIT */
  readonly maxChars?: number;
}

const VERDICT_ICON: Record<ReviewVerdict, string> = { ok: '✅', 'needs attention': '⚠️', blocked: '⛔' };
const ACTION_MARK = { create: '+', update: '~', replace: '-/+', delete: '-' } as const;
const CUT_NOTE_RESERVE = 240;
const MAX_ATTRIBUTES = 25;
const MAX_VALUE = 100;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** An inline code span that survives any value: one line, bounded, backticks handled. */
export function code(value: unknown, max = MAX_VALUE): string {
  let text: string;
  if (value === undefined) return '_(none)_';
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) text = `[${value.join(', ')}]`;
  else text = JSON.stringify(value);
  text = text.replace(/\r?\n/g, '⏎');
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** A table cell: pipes escaped so they do not split the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function cutNote(hidden: number, noun: string): string {
  return `\n_… ${plural(hidden, noun)} not shown to keep this comment under GitHub's size limit; \`npm run plan-review -- --full <file>\` writes everything._\n`;
}

/**
 * Adds rendered items after `head` while they fit in `maxChars`; the rest become one cut
 * note. `render(i, room)` must return at most `room` characters or an empty string.
 */
function fit(
  head: string,
  count: number,
  render: (i: number, room: number) => string,
  maxChars: number,
  noun: string,
  tail = '',
  weight: (i: number) => number = () => 1,
): string {
  let out = head;
  const limit = maxChars - tail.length - CUT_NOTE_RESERVE;
  for (let i = 0; i < count; i++) {
    const room = limit - out.length;
    const item = room > 0 ? render(i, room) : '';
    if (!item || out.length + item.length > limit) {
      let hidden = 0;
      for (let j = i; j < count; j++) hidden += weight(j);
      return out + cutNote(hidden, noun) + tail;
    }
    out += item;
  }
  return out + tail;
}

/** A collapsed block of lines, cut inside to `maxChars` and always closed. */
function details(summary: string, lines: readonly string[], maxChars: number, noun = 'line'): string {
  const open = `<details><summary>${summary}</summary>\n\n`;
  const close = '\n</details>\n';
  if (open.length + close.length + CUT_NOTE_RESERVE > maxChars) return '';
  return fit(open, lines.length, (i) => `${lines[i]}\n`, maxChars, noun, close);
}

function countsText(review: Review): string {
  const c = review.counts;
  const n = (value: number) => value.toLocaleString('en-US');
  const parts = [`${n(c.create)} to add`, `${n(c.update)} to change`];
  if (c.replace > 0) parts.push(`${n(c.replace)} to replace`);
  parts.push(`${n(c.delete)} to destroy`);
  if (c.orphaned > 0) parts.push(`${n(c.orphaned)} orphaned`);
  return parts.join(', ');
}

function headerLine(review: Review): string {
  const t = review.tenants;
  const tenantParts = [
    t.new.length ? `${t.new.length} new` : '',
    t.changed.length ? `${t.changed.length} changed` : '',
    t.removed.length ? `${t.removed.length} removed` : '',
  ].filter(Boolean);
  const platform = review.platform.map((p) => `${p.stack} ${p.status}`);
  const changed = tenantParts.length + platform.length > 0;
  const body = changed
    ? [`tenants: ${tenantParts.join(', ') || 'none changed'}`, `resources: ${countsText(review)}`, `platform: ${platform.join(', ') || 'unchanged'}`].join(
        ' · ',
      )
    : 'no infrastructure changes';
  return `## ${VERDICT_ICON[review.verdict]} Plan review: ${review.verdict} · ${body}\n`;
}

function findingsSection(review: Review, maxChars: number): string {
  if (review.findings.length === 0) return '';
  const lines = review.findings.map((f) => `- ${f.level === 'blocked' ? '⛔' : '⚠️'} ${f.text}\n`);
  return fit('\n', lines.length, (i) => lines[i], maxChars, 'finding');
}

function poolText(pool: PoolFacts): string {
  const warm = pool.warmNodes > 0 ? `${pool.warmNodes} warm + ` : '';
  return `${pool.name}: ${warm}≤ ${pool.gpuLimit} GPUs × ${pool.instanceTypes.join('/')}, ${pool.capacity}`;
}

function ceilingText(before: TenantCeiling | undefined, after: TenantCeiling | undefined): string {
  if (before && after) return before.monthlyUsd === after.monthlyUsd ? usd(after.monthlyUsd) : `${usd(before.monthlyUsd)} → ${usd(after.monthlyUsd)}`;
  if (after) return usd(after.monthlyUsd);
  return `${usd(before?.monthlyUsd ?? 0)} → $0`;
}

function budgetText(before: number | undefined, after: number | undefined, status: string): string {
  if (status === 'removed') return before !== undefined ? `${usd(before)} → none` : 'none';
  if (before !== undefined && after !== undefined && before !== after) return `${usd(before)} → ${usd(after)}`;
  return after !== undefined ? usd(after) : 'none';
}

function costRow(row: CostRow): string {
  const pools = (row.after ?? row.before)!.pools.map((p) => poolText(p.pool)).join('; ');
  const spot = (row.after ?? row.before)!.spot ? ' (spot: usually less)' : '';
  const flag = row.overBudget ? '⚠️ over budget' : row.status === 'removed' ? 'removed' : 'within budget';
  return `| \`${row.tenant}\` (${row.status}) | ${cell(pools)} | ${ceilingText(row.before, row.after)}${spot} | ${budgetText(row.budgetBefore, row.budgetAfter, row.status)} | ${flag} |\n`;
}

function costSection(review: Review, maxChars: number): string {
  const { rows, ceilingDeltaUsd, budgetDeltaUsd } = review.cost;
  if (rows.length === 0 && Math.round(budgetDeltaUsd) === 0) return '';
  const total =
    `\nPull request total: **${signedUsd(ceilingDeltaUsd)}/month** GPU ceiling, budgets ${signedUsd(budgetDeltaUsd)}/month. ` +
    `Ceiling = max nodes × the highest on-demand hourly price among the pool's instance types (platform.yaml) × ${HOURS_PER_MONTH} h; spot capacity usually costs much less.\n`;
  if (rows.length === 0) return `\n### Cost\n${total}`;
  const head = '\n### Cost\n\n| tenant | GPU pools | monthly GPU ceiling | monthly budget | |\n| --- | --- | ---: | ---: | --- |\n';
  const sorted = [...rows].sort((a, b) => Number(b.overBudget) - Number(a.overBudget));
  return fit(head, sorted.length, (i) => costRow(sorted[i]), maxChars, 'tenant', total);
}

const CHECK_ICON: Record<CheckResult['status'], string> = { passed: '✅', warnings: '⚠️', failed: '⛔', 'not run': '➖' };

function checksSection(review: Review, maxChars: number): string {
  if (review.checks.length === 0) return '';
  let out = '\n### Checks\n\n';
  for (const check of review.checks) {
    out += `- **${check.title}**: ${CHECK_ICON[check.status]} ${check.status}${check.status === 'not run' ? '' : ` · ${code(check.summary, 200)}`}\n`;
  }
  const withDetails = review.checks.filter((c) => c.details);
  const share = Math.floor((maxChars - out.length - 100) / Math.max(1, withDetails.length));
  for (const check of withDetails) {
    const block = codeDetails(`${check.title} report`, check.details.replace(/```/g, "'''").split('\n'), share - 1);
    out += block ? `\n${block}` : '';
  }
  return out.length <= maxChars ? out : '';
}

/** A collapsed code block: cut inside the fence, so the fence always closes. */
function codeDetails(summary: string, lines: readonly string[], maxChars: number): string {
  const open = `<details><summary>${summary}</summary>\n\n\`\`\`text\n`;
  const close = '```\n\n</details>\n';
  if (open.length + close.length + CUT_NOTE_RESERVE > maxChars) return '';
  let out = open;
  const limit = maxChars - close.length - CUT_NOTE_RESERVE;
  for (let i = 0; i < lines.length; i++) {
    if (out.length + lines[i].length + 1 > limit) {
      out += `… ${plural(lines.length - i, 'more line')} not shown (size limit)\n`;
      break;
    }
    out += `${lines[i]}\n`;
  }
  return out + close;
}

function accountText(facts: TenantFacts): string {
  const a = facts.account;
  if (a.kind === 'vended') return `new account, ${a.email}`;
  if (a.kind === 'adopted') return `adopted ${a.id}`;
  return 'unknown';
}

function quotaText(facts: TenantFacts): string {
  const q = facts.quota;
  if (!q) return facts.workloads ? '—' : 'none (retained)';
  return [q.cpu && `${q.cpu} CPU`, q.memory, q.gpus && `${q.gpus} GPU`, q.pods && `${q.pods} pods`].filter(Boolean).join(', ');
}

function newTenantRow(tenant: TenantReview): string {
  const f = tenant.facts;
  const buckets = f.buckets.map((b) => b.purpose).join(', ') || 'none';
  const pools = f.pools.map(poolText).join('; ') || 'CPU only';
  return `| \`${f.name}\` | ${cell(accountText(f))} | ${cell(buckets)} | ${cell(pools)} | ${cell(quotaText(f))} | ${f.budgetUsd !== undefined ? usd(f.budgetUsd) : 'none'} |\n`;
}

function newTenantsSection(review: Review, maxChars: number): string {
  const tenants = review.tenants.new;
  if (tenants.length === 0) return '';
  const head = `\n### New tenants (${tenants.length})\n\n| tenant | account | buckets | GPU pools | quota | budget |\n| --- | --- | --- | --- | --- | ---: |\n`;
  return fit(head, tenants.length, (i) => newTenantRow(tenants[i]), maxChars, 'new tenant');
}

/** For long strings that differ in a small part (policies), the part that differs with a little context. */
function differingParts(before: string, after: string): [string, string] {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const context = 24;
  const start = Math.max(0, prefix - context);
  const excerpt = (text: string) => {
    const end = Math.min(text.length, text.length - suffix + context);
    return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  };
  return [excerpt(before), excerpt(after)];
}

function attributeLine(a: AttributeChange): string {
  let { before, after } = a;
  if (typeof before === 'string' && typeof after === 'string' && Math.max(before.length, after.length) > MAX_VALUE)
    [before, after] = differingParts(before, after);
  return `  - ${code(a.path, 80)}: ${code(before)} → ${code(after)}${a.forcesReplacement ? ' **(forces replacement)**' : ''}`;
}

function changeLines(change: BlockChange, ownStack: string): string[] {
  const where = change.stack === ownStack ? '' : ` in \`${change.stack}\``;
  const name = change.path ? `\`${change.path}\` (\`${change.address}\`${where})` : `\`${change.address}\`${where}`;
  const data = change.dataBearing && (change.action === 'delete' || change.action === 'replace') ? ' ⛔ **data**' : '';
  const moved = change.previousAddress ? ` replaces \`${change.previousAddress}\`` : '';
  const lines = [`- \`${ACTION_MARK[change.action]}\` ${name}${moved}${data}`];
  if (change.action === 'update' || change.action === 'replace') {
    const shown = change.attributes.slice(0, MAX_ATTRIBUTES).map(attributeLine);
    if (change.attributes.length > MAX_ATTRIBUTES) shown.push(`  - _… ${plural(change.attributes.length - MAX_ATTRIBUTES, 'more attribute')}_`);
    lines.push(...shown);
  }
  return lines;
}

function tenantCounts(changes: readonly BlockChange[]): string {
  const r = changes.filter((c) => c.kind === 'resource');
  const n = (action: BlockChange['action']) => r.filter((c) => c.action === action).length;
  const parts = [`${n('create')} to add`, `${n('update')} to change`];
  if (n('replace') > 0) parts.push(`${n('replace')} to replace`);
  parts.push(`${n('delete')} to destroy`);
  const settings = changes.length - r.length;
  if (settings > 0) parts.push(plural(settings, 'setting'));
  return parts.join(', ');
}

/** cdktf's 8-hex-digit id suffixes and the derived names' hash suffixes differ per tenant by construction. */
const PER_TENANT_HASH = /(_[0-9A-F]{8}|-[0-9a-f]{8})(?![0-9A-Za-z])/g;

/**
 * Tenants whose changes are the same once their names and per-tenant hashes are masked,
 * so that one platform-wide edit shows once rather than once per tenant.
 */
export function groupBySameChanges(tenants: readonly TenantReview[]): TenantReview[][] {
  const groups = new Map<string, TenantReview[]>();
  for (const tenant of tenants) {
    const own = `${TENANT_STACK_PREFIX}${tenant.name}`;
    const name = new RegExp(`(?<![a-z0-9])${tenant.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g');
    // Each change masked, then sorted: the order of a stack's changes follows its (hashed) addresses.
    const signature = tenant.changes
      .map((c) =>
        JSON.stringify([c.stack === own ? '' : c.stack, c.action, c.path ?? c.address, c.kind, c.type, c.attributes.map((a) => [a.path, a.before, a.after])])
          .replace(name, '\u0000')
          .replace(PER_TENANT_HASH, '#'),
      )
      .sort()
      .join('\n');
    const group = groups.get(signature);
    if (group) group.push(tenant);
    else groups.set(signature, [tenant]);
  }
  return [...groups.values()];
}

const MAX_GROUP_NAMES = 20;

function changedTenantItem(group: readonly TenantReview[], room: number): string {
  const [tenant, ...others] = group;
  const ceiling =
    tenant.baseCeiling && tenant.baseCeiling.monthlyUsd !== tenant.ceiling.monthlyUsd
      ? ` · GPU ceiling ${ceilingText(tenant.baseCeiling, tenant.ceiling)}`
      : '';
  const budget =
    tenant.baseFacts?.budgetUsd !== tenant.facts.budgetUsd ? ` · budget ${budgetText(tenant.baseFacts?.budgetUsd, tenant.facts.budgetUsd, 'changed')}` : '';
  const shown = others.slice(0, MAX_GROUP_NAMES).map((t) => `\`${t.name}\``);
  if (others.length > MAX_GROUP_NAMES) shown.push(`… ${(others.length - MAX_GROUP_NAMES).toLocaleString('en-US')} more`);
  const same = others.length > 0 ? ` and ${plural(others.length, 'more tenant')} with the same changes (${shown.join(', ')})` : '';
  const line = `\n**\`${tenant.name}\`**${same}: ${tenantCounts(tenant.changes)}${ceiling}${budget}\n\n`;
  if (line.length > room) return '';
  const own = `${TENANT_STACK_PREFIX}${tenant.name}`;
  const lines = tenant.changes.flatMap((c) => changeLines(c, own));
  const block = details(plural(tenant.changes.length, 'change'), lines, Math.min(room, 12_000) - line.length);
  return block ? line + block : '';
}

function changedTenantsSection(review: Review, maxChars: number): string {
  const tenants = review.tenants.changed;
  if (tenants.length === 0) return '';
  const groups = groupBySameChanges(tenants);
  return fit(
    `\n### Changed tenants (${tenants.length})\n`,
    groups.length,
    (i, room) => changedTenantItem(groups[i], room),
    maxChars,
    'changed tenant',
    '',
    (i) => groups[i].length,
  );
}

function removedTenantItem(tenant: TenantReview): string {
  const f = tenant.facts;
  const account =
    f.account.kind === 'vended'
      ? `account ${code(f.account.email)} (vended)`
      : f.account.kind === 'adopted'
        ? `adopted account ${code(f.account.id)}`
        : 'its account';
  const buckets = f.buckets.map((b) => code(b.name)).join(', ') || 'none';
  const orphaned = tenant.changes.filter((c) => c.kind === 'resource').length;
  return (
    `> **\`${tenant.name}\`**: stacks \`${accountStackName(tenant.name)}\` and \`${tenantStackName(tenant.name)}\` are no longer synthesized, so their ${plural(orphaned, 'resource')} are left running but unmanaged (orphaned): ` +
    `${account} with its SCP and budgets, buckets ${buckets}, its KMS key${f.pools.length ? ` and ${plural(f.pools.length, 'GPU pool')}` : ''}.\n>\n`
  );
}

function removedTenantsSection(review: Review, maxChars: number): string {
  const tenants = review.tenants.removed;
  if (tenants.length === 0) return '';
  const head = `\n### ⛔ Removed tenant files (${tenants.length})\n\n> [!CAUTION]\n> Removing a tenant file does not offboard the tenant: its data-bearing resources (account, buckets, key) would be orphaned or destroyed.\n>\n`;
  const tail =
    '\n**Offboarding path** instead of deleting the file:\n' +
    '1. Keep the file and set `lifecycle: retained`: workloads, GPU pools and the namespace are removed; the account, buckets and key stay.\n' +
    '2. Hand over or export the data; empty the buckets and schedule the key deletion deliberately, outside this repository.\n' +
    "3. Move the account out of the tenant OU or close it in AWS Organizations, and remove the tenant's resources from the Terraform state.\n" +
    '4. Then delete the tenant file; the platform team approves the pull request despite this block.\n';
  return fit(head, tenants.length, (i) => removedTenantItem(tenants[i]), maxChars, 'removed tenant', tail);
}

function platformItem(p: PlatformReview, room: number): string {
  const every = p.affectsEveryTenant ? ' · ⚠️ **affects every tenant**' : ' · outputs only';
  const line = `\n**\`${p.stack}\`** (${p.status}): ${tenantCounts(p.changes)}${every}\n\n`;
  const lines = p.changes.flatMap((c) => changeLines(c, p.stack));
  const block = details(plural(p.changes.length, 'change'), lines, Math.min(room, 15_000) - line.length);
  return block ? line + block : '';
}

function platformSection(review: Review, maxChars: number): string {
  if (review.platform.length === 0) return '';
  const head =
    "\n### Platform: shared and organization\n\nChanges here reach every tenant (a tenant's account, SCP and budgets are in its own account stack, reviewed with the tenant).\n";
  return fit(head, review.platform.length, (i, room) => platformItem(review.platform[i], room), maxChars, 'stack');
}

function footer(review: Review): string {
  const s = review.stacks;
  const deploy = review.changedStacks.length > 0 ? ` Stacks to deploy: ${review.changedStacks.map((n) => `\`${n}\``).join(', ')}.` : '';
  const shownDeploy = deploy.length > 2_000 ? ` ${plural(review.changedStacks.length, 'stack')} to deploy.` : deploy;
  return `\n<sub>Compared ${plural(s.base, 'base stack')} with ${plural(s.head, 'head stack')} (${s.identical.toLocaleString('en-US')} identical) from the synthesized configuration; \`cdktf diff\` shows the real plan.${shownDeploy}</sub>\n${plannedLine(review)}\n${STICKY_MARKER}\n`;
}

/** Which side's attributes came from an offline plan, for how many stacks; empty without plans. */
function plannedLine(review: Review): string {
  const { base, head } = review.planned;
  if (base === undefined && head === undefined) return '';
  const side = (name: string, n: number | undefined) => (n === undefined ? `${name}: no plans given` : `${name}: ${plural(n, 'stack')}`);
  return `\n<sub>Planned values (offline plan) used for ${side('base', base)}, ${side('head', head)}; a resource is compared by planned values when both sides have them, else by configuration.</sub>\n`;
}

type Section = (review: Review, maxChars: number) => string;

/** The review as Markdown, at most `maxChars` characters. */
export function renderReview(review: Review, options: RenderOptions = {}): string {
  const limit = options.maxChars ?? COMMENT_LIMIT;
  const unbounded = !Number.isFinite(limit);
  const header = headerLine(review);
  const end = footer(review);
  // Priority order (and each section's largest share); display order is below.
  const plan: { name: string; cap: number; render: Section }[] = [
    { name: 'findings', cap: 8_000, render: findingsSection },
    { name: 'removed', cap: 8_000, render: removedTenantsSection },
    { name: 'checks', cap: 10_000, render: checksSection },
    { name: 'cost', cap: 8_000, render: costSection },
    { name: 'platform', cap: 12_000, render: platformSection },
    { name: 'new', cap: 14_000, render: newTenantsSection },
    { name: 'changed', cap: Infinity, render: changedTenantsSection },
  ];
  const rendered = new Map<string, string>();
  let remaining = limit - header.length - end.length;
  const reserve = 600;
  plan.forEach((section, i) => {
    const later = plan.length - 1 - i;
    const share = unbounded ? Infinity : Math.min(section.cap, remaining - reserve * later);
    const text = share > 0 ? section.render(review, share) : '';
    rendered.set(section.name, text.length <= share ? text : '');
    remaining -= rendered.get(section.name)!.length;
  });
  const order = ['findings', 'cost', 'checks', 'removed', 'new', 'changed', 'platform'];
  return header + order.map((name) => rendered.get(name) ?? '').join('') + end;
}
