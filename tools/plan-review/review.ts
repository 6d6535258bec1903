/**
 * The review of a pull request, built from the base and head synth outputs: per tenant
 * (new, changed, removed), then the platform stacks; findings that decide the verdict;
 * GPU cost ceilings against budgets; and the results of the guardrails and the isolation
 * proof. Linear in the size of the inputs: stacks are matched by name and byte-identical
 * stack files are skipped without parsing.
 */
import { ACCOUNT_STACK_PREFIX, accountStackName, STACK, TENANT_STACK_PREFIX, tenantStackName } from '../../config/names';
import { adoptionFinding } from './adoption';
import { blocksOf, withPlannedValues, type StackBlocks } from './blocks';
import type { CheckResult } from './checks';
import { compareBlocks, type BlockChange } from './compare';
import { tenantCeiling, usd, type Prices, type TenantCeiling } from '../../config/cost';
import { checkPlansDir, readPlannedValues } from './planned-values';
import { DATA_BEARING } from './replacement';
import { parseStack, readStackBytes, readSynthManifest, type SynthOutput } from '../../kernel/synth-output';
import { deployOrder } from './deploy-order';
import { pinnedVersions, versionFindings } from './versions';
import { tenantFacts, type TenantFacts } from './tenant-facts';

export type ReviewVerdict = 'ok' | 'needs attention' | 'blocked';
import type { ReviewFinding } from './findings';

export type { FindingLevel, ReviewFinding } from './findings';

export type TenantStatus = 'new' | 'changed' | 'removed';

export interface TenantReview {
  readonly name: string;
  readonly status: TenantStatus;
  /** The head's facts; the base's for a removed tenant. */
  readonly facts: TenantFacts;
  readonly baseFacts?: TenantFacts;
  /** Changes in the tenant's two stacks: its account stack's first, then its tenant stack's. */
  readonly changes: readonly BlockChange[];
  readonly ceiling: TenantCeiling;
  readonly baseCeiling?: TenantCeiling;
}

export interface PlatformReview {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly changes: readonly BlockChange[];
  /** Changes beyond outputs: they reach every tenant. */
  readonly affectsEveryTenant: boolean;
}

export interface CostRow {
  readonly tenant: string;
  readonly status: TenantStatus;
  readonly facts: TenantFacts;
  readonly before?: TenantCeiling;
  readonly after?: TenantCeiling;
  readonly budgetBefore?: number;
  readonly budgetAfter?: number;
  readonly overBudget: boolean;
}

export interface ResourceCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  /** Resources of removed tenant stacks: no longer managed, left running. */
  readonly orphaned: number;
}

export interface Review {
  readonly verdict: ReviewVerdict;
  readonly findings: readonly ReviewFinding[];
  readonly tenants: { readonly new: readonly TenantReview[]; readonly changed: readonly TenantReview[]; readonly removed: readonly TenantReview[] };
  readonly platform: readonly PlatformReview[];
  readonly cost: { readonly rows: readonly CostRow[]; readonly ceilingDeltaUsd: number; readonly budgetDeltaUsd: number };
  readonly checks: readonly CheckResult[];
  /** Head stacks that are new or differ from the base, in deploy order. */
  readonly changedStacks: readonly string[];
  readonly counts: ResourceCounts;
  readonly stacks: { readonly base: number; readonly head: number; readonly identical: number };
  /** Stacks whose attributes came from an offline plan's planned values, per side; undefined: no plans were given for that side. */
  readonly planned: { readonly base?: number; readonly head?: number };
}

export interface ReviewInputs {
  readonly baseDir: string;
  readonly headDir: string;
  readonly prices: Prices;
  readonly checks: readonly CheckResult[];
  /** Offline plan work directories (`npm run plan:offline -- --plans`), holding `<stack>/plan.json`. */
  readonly basePlans?: string;
  readonly headPlans?: string;
  /** Tenants the head's platform.yaml lists as offboarded: removing their file is the explicit, reviewed last step. @default none */
  readonly offboarded?: ReadonlySet<string>;
  readonly progress?: (line: string) => void;
}

/** A tenant's own stacks: its tenant stack and its account stack (its account, SCP, budgets, sign-in). */
function isTenantStack(name: string): boolean {
  return name.startsWith(TENANT_STACK_PREFIX) || name.startsWith(ACCOUNT_STACK_PREFIX);
}

function tenantOfStack(name: string): string {
  return name.startsWith(TENANT_STACK_PREFIX) ? name.slice(TENANT_STACK_PREFIX.length) : name.slice(ACCOUNT_STACK_PREFIX.length);
}

/** Parsed stacks of one side, parsed at most once and only when needed. */
class Side {
  private readonly bytes = new Map<string, Buffer>();
  private readonly blocks = new Map<string, StackBlocks>();
  /** Stacks whose plan JSON was read: only stacks that differ, so identical stacks cost nothing. */
  readonly plannedStacks = new Set<string>();
  /** Stacks worth reading a plan for; set once the differing stacks are known. */
  planFor: ReadonlySet<string> = new Set();

  constructor(
    readonly output: SynthOutput,
    private readonly plansDir?: string,
  ) {}

  has(name: string): boolean {
    return this.output.stacks.has(name);
  }

  bytesOf(name: string): Buffer {
    let cached = this.bytes.get(name);
    if (!cached) {
      cached = readStackBytes(this.output.stacks.get(name)!);
      this.bytes.set(name, cached);
    }
    return cached;
  }

  /** Frees bytes of stacks found identical, so a thousand tenants do not stay in memory. */
  forget(name: string): void {
    this.bytes.delete(name);
  }

  blocksOf(name: string): StackBlocks | undefined {
    if (!this.has(name)) return undefined;
    let cached = this.blocks.get(name);
    if (!cached) {
      cached = blocksOf(parseStack(this.output.stacks.get(name)!, this.bytesOf(name)));
      const planned = this.plansDir && this.planFor.has(name) ? readPlannedValues(this.plansDir, name) : undefined;
      if (planned) {
        cached = withPlannedValues(cached, planned);
        this.plannedStacks.add(name);
      }
      this.blocks.set(name, cached);
      this.bytes.delete(name);
    }
    return cached;
  }

  /** Drops a reviewed stack: with hundreds of changed tenants, holding every parsed stack costs more in garbage collection than the review itself. */
  release(name: string): void {
    this.bytes.delete(name);
    this.blocks.delete(name);
  }
}

function countBy(changes: readonly BlockChange[]): Omit<ResourceCounts, 'orphaned'> {
  const resources = changes.filter((c) => c.kind === 'resource');
  return {
    create: resources.filter((c) => c.action === 'create').length,
    update: resources.filter((c) => c.action === 'update').length,
    replace: resources.filter((c) => c.action === 'replace').length,
    delete: resources.filter((c) => c.action === 'delete').length,
  };
}

function label(change: BlockChange): string {
  return `\`${change.path ?? change.address}\``;
}

function forcing(change: BlockChange): string {
  return change.attributes
    .filter((a) => a.forcesReplacement)
    .map((a) => `\`${a.path}\``)
    .join(', ');
}

function dataFindings(owner: string, changes: readonly BlockChange[], findings: ReviewFinding[]): void {
  for (const c of changes) {
    if (c.kind !== 'resource') continue;
    const data = DATA_BEARING[c.type];
    if (data && c.action === 'delete') {
      findings.push({ level: 'blocked', text: `${owner}: ${data.noun} ${label(c)} would be **destroyed**: ${data.loss}` });
    } else if (data && c.action === 'replace') {
      const why = c.previousAddress ? `its address was \`${c.previousAddress}\`` : `${forcing(c)} cannot change in place`;
      findings.push({ level: 'blocked', text: `${owner}: ${data.noun} ${label(c)} would be **replaced** (${why}): the old one is destroyed and ${data.loss}` });
    } else if (c.action === 'replace') {
      const effect = c.type === 'aws_eks_node_group' ? ': its nodes are drained and recreated, running pods are evicted' : '';
      findings.push({ level: 'attention', text: `${owner}: ${label(c)} is replaced (${forcing(c)} cannot change in place)${effect}` });
    }
    if (c.protectionRemoved) findings.push({ level: 'attention', text: `${owner}: ${data?.noun ?? 'resource'} ${label(c)} loses \`prevent_destroy\`` });
  }
}

function removedFinding(tenant: TenantReview, offboarded: ReadonlySet<string>): ReviewFinding {
  const f = tenant.facts;
  // The explicit path: the tenant was retained (workloads gone) and platform.yaml lists it
  // as offboarded, a change the platform team reviews.
  if (offboarded.has(tenant.name) && !f.workloads) {
    return {
      level: 'attention',
      text: `tenant \`${tenant.name}\` removed after offboarding (platform.yaml \`offboardedTenants\`): its stack is no longer deployed; its state file stays in the state bucket`,
    };
  }
  const account = f.account.kind === 'vended' ? `account (${f.account.email})` : f.account.kind === 'adopted' ? `adopted account ${f.account.id}` : 'account';
  const buckets = f.buckets.length === 1 ? '1 bucket' : `${f.buckets.length} buckets`;
  return {
    level: 'blocked',
    text: `tenant \`${tenant.name}\` removed: its ${account}, ${buckets} and KMS key would be orphaned or destroyed; offboard it instead (see below), then list it in platform.yaml \`offboardedTenants\`${offboarded.has(tenant.name) ? ' (it is listed, but was not retained first)' : ''}`,
  };
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

function verdictOf(findings: readonly ReviewFinding[]): ReviewVerdict {
  if (findings.some((f) => f.level === 'blocked')) return 'blocked';
  return findings.length > 0 ? 'needs attention' : 'ok';
}

/** The stacks whose bytes differ between the sides (or exist on one side only); identical ones are released unparsed. */
function differingStacks(base: Side, head: Side, names: readonly string[]): { differing: string[]; identical: number } {
  const differing: string[] = [];
  let identical = 0;
  for (const name of names) {
    if (base.has(name) && head.has(name)) {
      const a = base.bytesOf(name);
      const b = head.bytesOf(name);
      if (a.length === b.length && a.equals(b)) {
        identical++;
        base.forget(name);
        head.forget(name);
        continue;
      }
    }
    differing.push(name);
  }
  return { differing, identical };
}

/** One review per touched tenant: new, changed or removed, with its facts, changes and GPU ceilings. */
function tenantReviews(touched: ReadonlySet<string>, base: Side, head: Side, differing: ReadonlySet<string>, prices: Prices): TenantReview[] {
  const tenants: TenantReview[] = [];
  for (const name of [...touched].sort()) {
    const stack = tenantStackName(name);
    const account = accountStackName(name);
    const baseBlocks = base.blocksOf(stack);
    const headBlocks = head.blocksOf(stack);
    const baseAccount = [...(base.blocksOf(account)?.values() ?? [])];
    const headAccount = [...(head.blocksOf(account)?.values() ?? [])];
    const stackChanges = differing.has(stack) ? compareBlocks(stack, baseBlocks, headBlocks) : [];
    const accountChanges = differing.has(account) ? compareBlocks(account, base.blocksOf(account), head.blocksOf(account)) : [];
    const inBase = baseBlocks !== undefined || base.has(account);
    const inHead = headBlocks !== undefined || head.has(account);
    const status: TenantStatus = !inBase ? 'new' : !inHead || (baseBlocks !== undefined && headBlocks === undefined) ? 'removed' : 'changed';
    const baseFacts = tenantFacts(name, baseBlocks, baseAccount);
    const headFacts = tenantFacts(name, headBlocks, headAccount);
    const facts = status === 'removed' ? baseFacts : headFacts;
    tenants.push({
      name,
      status,
      facts,
      baseFacts: status === 'changed' ? baseFacts : undefined,
      changes: [...accountChanges, ...stackChanges],
      ceiling: tenantCeiling(facts, prices),
      baseCeiling: status === 'changed' ? tenantCeiling(baseFacts, prices) : undefined,
    });
    for (const name of [stack, account]) {
      base.release(name);
      head.release(name);
    }
  }
  return tenants;
}

/** The platform stacks (organization, shared, shared-k8s) that change. */
function platformReviews(differing: readonly string[], base: Side, head: Side): PlatformReview[] {
  const platform: PlatformReview[] = [];
  for (const name of differing) {
    if (isTenantStack(name)) continue;
    const changes = compareBlocks(name, base.blocksOf(name), head.blocksOf(name));
    if (changes.length === 0) continue;
    const status = !base.has(name) ? 'added' : !head.has(name) ? 'removed' : 'changed';
    platform.push({ stack: name, status, changes, affectsEveryTenant: changes.some((c) => c.kind !== 'output') });
  }
  return platform;
}

/** What the change findings need besides the reviews: the offboarded tenants, and both sides for the version changes. */
interface ChangeContext {
  readonly offboarded: ReadonlySet<string>;
  readonly base: Side;
  readonly head: Side;
  readonly differing: ReadonlySet<string>;
}

/**
 * Findings about data, workloads and versions: removed tenants, data-bearing resources
 * destroyed or replaced, tenants becoming retained, cluster version changes and their
 * upgrade order, adopted accounts.
 */
function changeFindings(tenants: readonly TenantReview[], platform: readonly PlatformReview[], findings: ReviewFinding[], context: ChangeContext): void {
  const { base, head } = context;
  const byStatus = (s: TenantStatus) => tenants.filter((t) => t.status === s);
  for (const tenant of byStatus('removed')) findings.push(removedFinding(tenant, context.offboarded));
  for (const tenant of [...byStatus('changed'), ...byStatus('new')]) dataFindings(`\`${tenant.name}\``, tenant.changes, findings);
  for (const tenant of byStatus('changed')) {
    if (!tenant.baseFacts?.workloads || tenant.facts.workloads) continue;
    const removed = tenant.changes.filter((c) => c.kind === 'resource' && c.action === 'delete').length;
    findings.push({
      level: 'attention',
      text: `\`${tenant.name}\` becomes retained: its namespace, GPU pools and workload role go (${plural(removed, 'resource')}); the account, buckets and key stay`,
    });
  }
  for (const p of platform) dataFindings(`\`${p.stack}\``, p.changes, findings);
  // Version changes of the cluster, with their place in the upgrade order.
  const versionStacks = [STACK.shared, STACK.sharedK8s, STACK.sharedPools].filter((name) => context.differing.has(name));
  if (versionStacks.length > 0) {
    const versionsOf = (side: Side) => pinnedVersions(new Map(versionStacks.map((name) => [name, side.has(name) ? side.blocksOf(name) : undefined])));
    findings.push(...versionFindings(versionsOf(base), versionsOf(head)));
  }
  for (const tenant of [...byStatus('changed'), ...byStatus('new')]) {
    const adoption = adoptionFinding(tenant.name, tenant.facts, tenant.baseFacts);
    if (adoption) findings.push(adoption);
  }
}

/** The cost table (tenants whose GPU ceiling or budget moves) and its findings: over budget, unpriced instance types. */
function costReview(tenants: readonly TenantReview[], findings: ReviewFinding[]): Review['cost'] {
  const rows: CostRow[] = [];
  let ceilingDeltaUsd = 0;
  let budgetDeltaUsd = 0;
  for (const tenant of tenants) {
    const before = tenant.status === 'new' ? undefined : tenant.status === 'removed' ? tenant.ceiling : tenant.baseCeiling;
    const after = tenant.status === 'removed' ? undefined : tenant.ceiling;
    const budgetBefore = tenant.status === 'new' ? undefined : (tenant.baseFacts ?? tenant.facts).budgetUsd;
    const budgetAfter = tenant.status === 'removed' ? undefined : tenant.facts.budgetUsd;
    ceilingDeltaUsd += (after?.monthlyUsd ?? 0) - (before?.monthlyUsd ?? 0);
    budgetDeltaUsd += (budgetAfter ?? 0) - (budgetBefore ?? 0);
    const overBudget = after !== undefined && budgetAfter !== undefined && after.monthlyUsd > budgetAfter;
    const hasPools = (before?.pools.length ?? 0) + (after?.pools.length ?? 0) > 0;
    // A changed tenant whose ceiling and budget stay the same adds nothing to the cost table.
    const costMoved = tenant.status !== 'changed' || before?.monthlyUsd !== after?.monthlyUsd || budgetBefore !== budgetAfter || overBudget;
    if (hasPools && costMoved) {
      rows.push({ tenant: tenant.name, status: tenant.status, facts: tenant.facts, before, after, budgetBefore, budgetAfter, overBudget });
    }
    if (overBudget) {
      findings.push({
        level: 'attention',
        text: `\`${tenant.name}\`: GPU ceiling ${usd(after!.monthlyUsd)}/month exceeds its budget of ${usd(budgetAfter!)}/month`,
      });
    }
    if (after && after.unpriced.length > 0) {
      findings.push({
        level: 'attention',
        text: `\`${tenant.name}\`: no price in platform.yaml for ${after.unpriced.map((t) => `\`${t}\``).join(', ')}; its ceiling leaves them out`,
      });
    }
  }
  return { rows, ceilingDeltaUsd, budgetDeltaUsd };
}

/** Findings every tenant shares: platform stacks that change, and the checks (a failed one blocks). */
function platformAndCheckFindings(platform: readonly PlatformReview[], checks: readonly CheckResult[], findings: ReviewFinding[]): void {
  for (const p of platform.filter((x) => x.affectsEveryTenant)) {
    const n = p.changes.filter((c) => c.kind !== 'output').length;
    findings.push({
      level: 'attention',
      text: `\`${p.stack}\` ${p.status === 'changed' ? 'changes' : p.status === 'added' ? 'is added with' : 'is removed with'} ${n} block${n === 1 ? '' : 's'}: **affects every tenant**`,
    });
  }
  for (const check of checks) {
    if (check.status === 'failed') findings.push({ level: 'blocked', text: `${check.title} failed: ${check.summary}` });
    // A review never says ok for a check it has no report of.
    else if (check.status === 'not run')
      findings.push({ level: 'attention', text: `${check.title} not run: no report was given, so the review cannot say it passed` });
    else if (check.status === 'warnings') findings.push({ level: 'attention', text: `${check.title}: warnings: ${check.summary}` });
  }
}

/** Resources created, updated, replaced and deleted; a removed tenant's own stacks (tenant and account) are orphaned (kept), not deleted. */
function resourceCounts(tenants: readonly TenantReview[], platform: readonly PlatformReview[]): ResourceCounts {
  const all = [...tenants.filter((t) => t.status !== 'removed').flatMap((t) => t.changes), ...platform.flatMap((p) => p.changes)];
  const removedTenants = tenants.filter((t) => t.status === 'removed');
  return { ...countBy(all), orphaned: removedTenants.flatMap((t) => t.changes.filter((c) => c.kind === 'resource')).length };
}

/** The review of two synth outputs, phase by phase: what differs, per tenant, per platform stack, findings, cost, counts. */
export function buildReview(inputs: ReviewInputs): Review {
  const progress = inputs.progress ?? (() => undefined);
  if (inputs.basePlans) checkPlansDir(inputs.basePlans, 'base');
  if (inputs.headPlans) checkPlansDir(inputs.headPlans, 'head');
  const base = new Side(readSynthManifest(inputs.baseDir, 'base'), inputs.basePlans);
  const head = new Side(readSynthManifest(inputs.headDir, 'head'), inputs.headPlans);
  const names = [...new Set([...base.output.stacks.keys(), ...head.output.stacks.keys()])].sort();
  progress(`comparing ${names.length} stacks`);
  const { differing, identical } = differingStacks(base, head, names);
  progress(`${identical} stacks identical, ${differing.length} to review`);

  const differingSet = new Set(differing);
  base.planFor = differingSet;
  head.planFor = differingSet;
  const touched = new Set(differing.filter(isTenantStack).map(tenantOfStack));
  const tenants = tenantReviews(touched, base, head, differingSet, inputs.prices);
  const platform = platformReviews(differing, base, head);

  const findings: ReviewFinding[] = [];
  changeFindings(tenants, platform, findings, { offboarded: inputs.offboarded ?? new Set(), base, head, differing: differingSet });
  const cost = costReview(tenants, findings);
  platformAndCheckFindings(platform, inputs.checks, findings);

  const byStatus = (s: TenantStatus) => tenants.filter((t) => t.status === s);
  return {
    verdict: verdictOf(findings),
    findings: [...findings.filter((f) => f.level === 'blocked'), ...findings.filter((f) => f.level === 'attention')],
    tenants: { new: byStatus('new'), changed: byStatus('changed'), removed: byStatus('removed') },
    platform,
    cost,
    checks: inputs.checks,
    changedStacks: deployOrder(
      differing.filter((name) => head.has(name)),
      head.output.stacks,
    ),
    counts: resourceCounts(tenants, platform),
    stacks: { base: base.output.stacks.size, head: head.output.stacks.size, identical },
    planned: { base: inputs.basePlans ? base.plannedStacks.size : undefined, head: inputs.headPlans ? head.plannedStacks.size : undefined },
  };
}
