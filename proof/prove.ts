/**
 * The isolation proof: every tenant reaches its own data, and no tenant's roles or pods
 * reach another tenant's buckets, keys or roles.
 *
 * `pairwise` simulates every ordered pair of tenants. `fast` (the default) simulates each
 * tenant against itself, against a synthetic twin of itself (a fresh tenant with the same
 * normal form) in both directions, and as principal against one rotating real tenant; it simulates one
 * representative pair for every pair of normal-form classes; and it falls back to full
 * pairwise for every irregular tenant. The remaining pairs follow from the class argument
 * in docs/isolation-proof.md.
 */
import { InputError } from '../kernel/errors';
import { isRecord } from '../kernel/records';
import { proveAccounts } from './accounts';
import { proveMetrics } from './metrics';
import { readSynthDir, ResolveError, Resolver, type ComputedAttributes, type SynthStack } from './resolve';
import { readPlatformModel, type PlatformModel, type RoleModel, type TenantModel } from './model';
import { OfflinePlanAttributes, PlannedPolicies, type PolicySourceCounts } from './planned';
import { classId, identifierIndex, irregularities, normalForm, renameTenant, tenantPolicies, twinRenaming, type IdentifierIndex } from './normal-form';
import {
  culprits,
  decide,
  MODELLED_CONDITION_KEYS,
  MODELLED_TOKEN_CLAIMS,
  RequestBuilder,
  validationErrors,
  type Check,
  type Culprit,
  type LayerCheck,
  type Decision,
} from './simulate';

export type ProofMode = 'fast' | 'pairwise';

export interface ProofOptions {
  readonly mode?: ProofMode;
  /** Progress lines (for runs longer than a second). */
  readonly progress?: (line: string) => void;
  /** Replaces the placeholder values of computed attributes (for example with planned values). */
  readonly computed?: ComputedAttributes;
  /** A `plan:offline` working directory: policy documents come from each stack's plan.json where fully known. */
  readonly plansDir?: string;
  /**
   * Restricts the proof to these tenants (a pull request's changed ones): their own access,
   * and every pair that involves one of them, both ways, chosen as the mode chooses (in fast
   * mode a focus tenant stands for its class). Pairs of two other tenants are not checked:
   * only an output whose other stacks a proved base holds unchanged may be proved this way.
   * @default every tenant
   */
  readonly focus?: ReadonlySet<string>;
}

/** A check whose decision is not what isolation needs. */
export interface ProofFinding {
  /** `leak`: another tenant's principal is allowed; `blocked`: a tenant cannot reach its own data. */
  readonly type: 'leak' | 'blocked';
  readonly check: Omit<Check, 'simulation'>;
  readonly decision: Decision;
  readonly culprits: readonly Culprit[];
  /** How the pair came to be simulated (for fast mode: self, twin, sample, class, irregular, pairwise). */
  readonly reason: string;
}

export interface TenantClass {
  readonly id: string;
  readonly members: readonly string[];
}

export type PairStatus = 'simulated' | 'covered' | 'leak';

export interface ProofResult {
  readonly mode: ProofMode;
  readonly tenants: readonly string[];
  readonly classes: readonly TenantClass[];
  /** Irregular tenants and why. */
  readonly irregular: ReadonlyMap<string, readonly string[]>;
  readonly findings: readonly ProofFinding[];
  /** Ordered pairs `principal\u0000resource` that were simulated (with real tenants). */
  readonly simulatedPairs: ReadonlySet<string>;
  readonly simulations: number;
  /** Tenants whose account the organization stack does not place (adopted accounts). */
  readonly tenantsWithoutKnownScps: readonly string[];
  readonly notes: readonly string[];
  readonly seconds: number;
  /** With plansDir: how many policy documents came from planned values and how many from the proof's resolver. */
  readonly policySources?: PolicySourceCounts;
  /** The account layer (proof/accounts.ts): Identity Center sign-ins and accounts whose controls were checked. */
  readonly accountLayer?: { readonly signIns: number; readonly accountsControlled: number };
  /** With `focus`: the tenants proved (own access and every pair with them); the others were not. */
  readonly focus?: readonly string[];
  /** The metrics layer (proof/metrics.ts): tenants whose metrics writer role was checked. */
  readonly metricsLayer?: { readonly tenantsExported: number };
}

/** The failed checks of a layer (accounts, metrics) as findings: a denied allow is `blocked`, an allowed deny a `leak`. */
export function layerFindings(failed: readonly { readonly check: LayerCheck; readonly decision: Decision }[]): ProofFinding[] {
  return failed.map(({ check, decision }) => {
    const { simulation: _simulation, reason, ...shown } = check;
    return { type: check.expect === 'allow' ? 'blocked' : 'leak', check: shown, decision, culprits: [], reason };
  });
}

/** Input the proof cannot decide on: unresolvable expressions, invalid policies, unmodelled condition keys. */
export class ProofInputError extends InputError {
  constructor(problems: readonly string[]) {
    super(problems, `${problems.length} problem${problems.length === 1 ? '' : 's'} in the synthesized output`);
    this.name = 'ProofInputError';
  }
}

export function pairKey(principal: string, resource: string): string {
  return `${principal}\u0000${resource}`;
}

export function pairStatus(result: ProofResult, principal: string, resource: string): PairStatus {
  if (result.findings.some((f) => f.type === 'leak' && f.check.principalTenant === principal && f.check.resourceTenant === resource)) return 'leak';
  return result.simulatedPairs.has(pairKey(principal, resource)) ? 'simulated' : 'covered';
}

function conditionKeyProblems(model: PlatformModel): string[] {
  const modelled = new Set(MODELLED_CONDITION_KEYS.map((k) => k.toLowerCase()));
  const isTokenClaim = (key: string) => {
    const colon = key.lastIndexOf(':');
    return colon > 0 && key.slice(0, colon).includes('/') && MODELLED_TOKEN_CLAIMS.includes(key.slice(colon + 1));
  };
  const problems = new Set<string>();
  const seen = new Set<unknown>();
  for (const t of model.tenants) {
    for (const { policy } of tenantPolicies(t)) {
      if (seen.has(policy.document)) continue;
      seen.add(policy.document);
      policy.document.Statement.forEach((statement, i) => {
        const condition = statement.Condition;
        if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return;
        for (const operators of Object.values(condition)) {
          if (operators === null || typeof operators !== 'object' || Array.isArray(operators)) continue;
          for (const key of Object.keys(operators)) {
            if (!modelled.has(key.toLowerCase()) && !isTokenClaim(key)) {
              problems.add(
                `${policy.source} statement ${i + 1}: condition key '${key}' is not modelled by the proof (it supplies ${MODELLED_CONDITION_KEYS.join(', ')} and the token's sub and aud); a decision could depend on it`,
              );
            }
          }
        }
      });
    }
  }
  return [...problems];
}

/**
 * The decision of a request that must be denied. Service and resource control policies and
 * permissions boundaries only ever take permissions away, so a request denied without them
 * is denied with them; they are evaluated only when the request would otherwise be allowed.
 */
function decideDenial(simulation: Check['simulation']): Decision {
  const guarded =
    simulation.serviceControlPolicies.length > 0 || simulation.resourceControlPolicies.length > 0 || (simulation.permissionBoundaryPolicies ?? []).length > 0;
  if (!guarded) return decide(simulation);
  const unguarded = decide({ ...simulation, serviceControlPolicies: [], resourceControlPolicies: [], permissionBoundaryPolicies: undefined });
  return unguarded === 'Allowed' ? decide(simulation) : unguarded;
}

/** Roles that must reach their own data. */
function dataRoles(t: TenantModel): RoleModel[] {
  return t.roles.filter((role) => role.kind === 'workload' || role.kind === 'people');
}

class Prover {
  readonly findings: ProofFinding[] = [];
  readonly simulatedPairs = new Set<string>();
  simulations = 0;
  private readonly builder: RequestBuilder;

  constructor(
    model: PlatformModel,
    private readonly focus?: ReadonlySet<string>,
  ) {
    this.builder = new RequestBuilder(model);
  }

  /** Whether the proof covers the tenant (every tenant without a focus). */
  covers(t: TenantModel): boolean {
    return this.focus === undefined || this.focus.has(t.name);
  }

  private run(check: Check, reason: string, identitySources: readonly string[], boundary?: string, resourceSource?: string): void {
    this.simulations++;
    const decision = check.expect === 'deny' ? decideDenial(check.simulation) : decide(check.simulation);
    const ok = check.expect === 'allow' ? decision === 'Allowed' : decision !== 'Allowed';
    if (ok) return;
    const { simulation, ...shown } = check;
    const found = decision === 'Allowed' ? culprits(simulation, { identity: identitySources, boundary, resource: resourceSource }) : [];
    this.findings.push({ type: check.expect === 'allow' ? 'blocked' : 'leak', check: shown, decision, culprits: found, reason });
  }

  /** Own roles on own buckets and keys, and own service accounts into their annotated roles. */
  self(t: TenantModel): void {
    if (!this.covers(t)) return;
    const b = this.builder;
    for (const role of dataRoles(t)) {
      const ids = role.identity.map((p) => p.source);
      for (const bucket of t.buckets)
        for (const check of b.bucketChecks('allow', t, role, t, bucket)) this.run(check, 'self', ids, role.boundary?.source, bucket.policy?.source);
      for (const key of t.keys)
        for (const check of b.keyChecks('allow', t, role, t, key)) this.run(check, 'self', ids, role.boundary?.source, key.policy.source);
    }
    for (const sa of t.serviceAccounts) {
      const target = t.roles.find((role) => role.arn === sa.roleArn);
      if (!target) continue;
      const check = b.webIdentityCheck('allow', t.name, sa.namespace, sa.name, t, target);
      if (check) this.run(check, 'self', [], undefined, target.trust.source);
    }
  }

  /** Principals of `p` against everything of `r`; every decision must deny. A pair without a focus tenant is skipped (a twin stands for its tenant). */
  pair(p: TenantModel, r: TenantModel, reason: string, real: boolean, twinOf?: TenantModel): void {
    if (!this.covers(p) && !this.covers(r) && !(twinOf && this.covers(twinOf))) return;
    if (real) this.simulatedPairs.add(pairKey(p.name, r.name));
    const b = this.builder;
    // The platform's deployer acts for the platform only (its trust, checked below as a target, admits no tenant).
    for (const role of p.roles.filter((candidate) => candidate.kind !== 'platform')) {
      const ids = role.identity.map((policy) => policy.source);
      for (const bucket of r.buckets)
        for (const check of b.bucketChecks('deny', p, role, r, bucket)) this.run(check, reason, ids, role.boundary?.source, bucket.policy?.source);
      for (const key of r.keys)
        for (const check of b.keyChecks('deny', p, role, r, key)) this.run(check, reason, ids, role.boundary?.source, key.policy.source);
      for (const target of r.roles) this.run(b.assumeRoleCheck(p, role, r, target), reason, ids, role.boundary?.source, target.trust.source);
    }
    // p's people can create any service account name in p's namespaces, so r's own names are tried there too.
    const namespaces = [...new Set(p.serviceAccounts.map((sa) => sa.namespace))];
    const tokens = [
      ...p.serviceAccounts.map((sa) => ({ namespace: sa.namespace, name: sa.name })),
      ...namespaces.flatMap((namespace) => r.serviceAccounts.map((sa) => ({ namespace, name: sa.name }))),
    ];
    const unique = [...new Map(tokens.map((token) => [`${token.namespace}/${token.name}`, token])).values()];
    for (const token of unique) {
      for (const target of r.roles) {
        const check = b.webIdentityCheck('deny', p.name, token.namespace, token.name, r, target);
        if (check) this.run(check, reason, [], undefined, target.trust.source);
      }
    }
  }
}

/**
 * Validates each distinct policy of the given tenants once through the validating
 * evaluator, and cross-checks its decision with the fast path on one own-access request
 * per role and resource.
 */
async function validate(tenants: readonly TenantModel[], builder: RequestBuilder): Promise<string[]> {
  const problems = new Set<string>();
  const seen = new Set<unknown>();
  const fresh = (...documents: unknown[]) => {
    const unseen = documents.some((d) => d !== undefined && !seen.has(d));
    for (const d of documents) seen.add(d);
    return unseen;
  };
  const check = async (simulation: Check, owner: string, compare: boolean) => {
    const { errors, decision } = await validationErrors(simulation.simulation);
    for (const error of errors) problems.add(`${owner}: ${error}`);
    if (compare && decision !== undefined && errors.length === 0) {
      const fast = decide(simulation.simulation);
      if (fast !== decision)
        problems.add(
          `${owner}: the fast and the validating evaluator disagree on ${simulation.action} ${simulation.resource} (${fast} vs ${decision}); please report this`,
        );
    }
  };
  for (const t of tenants) {
    for (const role of t.roles) {
      for (const bucket of t.buckets) {
        if (fresh(...role.identity.map((p) => p.document), role.boundary?.document, bucket.policy?.document)) {
          await check(
            builder.bucketChecks('allow', t, role, t, bucket)[0],
            `${role.identity[0]?.source ?? role.arn} / ${bucket.policy?.source ?? bucket.name}`,
            true,
          );
        }
      }
      for (const key of t.keys) {
        if (fresh(...role.identity.map((p) => p.document), role.boundary?.document, key.policy.document)) {
          await check(builder.keyChecks('allow', t, role, t, key)[0], `${role.identity[0]?.source ?? role.arn} / ${key.policy.source}`, true);
        }
      }
      if (fresh(role.trust.document, ...role.identity.map((p) => p.document))) await check(builder.assumeRoleCheck(t, role, t, role), role.trust.source, false);
    }
  }
  return [...problems];
}

/** Tenants by normal-form class, focus tenants first in theirs so that they represent it; and the irregular ones. */
function groupClasses(
  tenants: readonly TenantModel[],
  index: IdentifierIndex,
  focus?: ReadonlySet<string>,
): { classes: Map<string, TenantModel[]>; irregular: Map<string, string[]> } {
  const classes = new Map<string, TenantModel[]>();
  const irregular = new Map<string, string[]>();
  for (const t of tenants) {
    const reasons = irregularities(t, index);
    if (reasons.length > 0) {
      irregular.set(t.name, reasons);
      continue;
    }
    const id = classId(normalForm(t));
    const members = classes.get(id);
    if (!members) classes.set(id, [t]);
    else if (focus?.has(t.name) && !focus.has(members[0].name)) members.unshift(t);
    else members.push(t);
  }
  return { classes, irregular };
}

function hashIndex(name: string, modulo: number): number {
  let h = 0;
  for (const char of name) h = (h * 31 + char.charCodeAt(0)) >>> 0;
  return h % modulo;
}

/** What the proof notes beside its verdict: model notes, and tenants without a people role or a workload role. */
function modelNotes(model: PlatformModel, tenants: readonly TenantModel[]): string[] {
  const notes = tenants.flatMap((t) => t.notes.map((note) => `${t.name}: ${note}`));
  if (!model.clusterIssuerHost && tenants.some((t) => t.serviceAccounts.length > 0))
    notes.push('no EKS cluster in the synthesized output: service account tokens were not checked');
  for (const t of tenants) {
    if (!t.roles.some((role) => role.kind === 'people')) notes.push(`${t.name}: no people role (a role trusted by the tenant account) was found`);
    if (t.serviceAccounts.length > 0 && !t.roles.some((role) => role.kind === 'workload'))
      notes.push(`${t.name}: its service accounts name no role in its account`);
  }
  return notes;
}

/** Every ordered pair of tenants, simulated. */
function provePairwise(prover: Prover, tenants: readonly TenantModel[], progress: (line: string) => void): void {
  const n = tenants.length;
  const step = Math.max(1, Math.floor(n / 10));
  tenants.forEach((p, i) => {
    if (i > 0 && i % step === 0) progress(`pairwise: ${i}/${n} tenants as principal`);
    for (const r of tenants) if (r !== p) prover.pair(p, r, 'pairwise', true);
  });
}

/** Fast mode: each tenant against its twin and one sample, class representatives against each other, irregular tenants against all. */
function proveByClasses(
  prover: Prover,
  tenants: readonly TenantModel[],
  groups: ReturnType<typeof groupClasses>,
  index: ReturnType<typeof identifierIndex>,
  progress: (line: string) => void,
): void {
  const { classes, irregular } = groups;
  const n = tenants.length;
  const step = Math.max(1, Math.floor(n / 10));
  const usedAccounts = new Set(tenants.map((t) => t.accountId));
  tenants.forEach((t, i) => {
    if (i > 0 && i % step === 0) progress(`twins and samples: ${i}/${n} tenants`);
    const other = n < 2 ? undefined : tenants[(i + 1 + hashIndex(t.name, n - 1)) % n];
    if (!prover.covers(t)) {
      if (other) prover.pair(t, other, 'sample', true);
      return;
    }
    const twin = renameTenant(t, twinRenaming(t, index, usedAccounts), `twin of ${t.name}`);
    prover.pair(t, twin, 'twin', false, t);
    prover.pair(twin, t, 'twin', false, t);
    // One direction per tenant: every tenant is a principal in one sample, and its resources meet its twin.
    if (other) prover.pair(t, other, 'sample', true);
  });
  const representatives = [...classes.values()];
  for (const from of representatives) {
    for (const to of representatives) {
      const p = from[0];
      const r = from === to ? from[1] : to[0];
      if (r && !prover.simulatedPairs.has(pairKey(p.name, r.name))) prover.pair(p, r, 'class representatives', true);
    }
  }
  const byName = new Map(tenants.map((t) => [t.name, t]));
  for (const name of irregular.keys()) {
    const x = byName.get(name) as TenantModel;
    for (const y of tenants) {
      if (y === x) continue;
      if (!prover.simulatedPairs.has(pairKey(x.name, y.name))) prover.pair(x, y, 'irregular', true);
      if (!prover.simulatedPairs.has(pairKey(y.name, x.name))) prover.pair(y, x, 'irregular', true);
    }
  }
}

/** The proof over a model: check its input, validate the policies, prove own access, then the pairs (pairwise or by classes). */
export async function proveModel(model: PlatformModel, options: ProofOptions = {}): Promise<ProofResult> {
  const started = Date.now();
  const mode = options.mode ?? 'fast';
  const progress = options.progress ?? (() => undefined);
  const tenants = [...model.tenants].sort((a, b) => (a.name < b.name ? -1 : 1));
  const keyProblems = conditionKeyProblems(model);
  if (keyProblems.length > 0) throw new ProofInputError(keyProblems);
  const focus = options.focus;
  const unknown = [...(focus ?? [])].filter((name) => !tenants.some((t) => t.name === name));
  if (unknown.length > 0) throw new InputError(`no tenant stack for ${unknown.join(', ')} in the synthesized output: it cannot be proved`);
  const index = identifierIndex(tenants);
  const groups = groupClasses(tenants, index, focus);
  const { classes, irregular } = groups;
  const prover = new Prover(model, focus);
  // Validity, like every decision, follows from the normal form: fast mode validates one tenant per class.
  const firstOfEachClass = new Set([...classes.values()].map((members) => members[0]));
  const toValidate = tenants.filter((t) => prover.covers(t) && (mode === 'pairwise' || irregular.has(t.name) || firstOfEachClass.has(t)));
  progress(`validating the policies of ${toValidate.length} tenants`);
  const invalid = await validate(toValidate, new RequestBuilder(model));
  if (invalid.length > 0) throw new ProofInputError(invalid);
  const covered = tenants.filter((t) => prover.covers(t));
  const notes = modelNotes(model, covered);

  progress(`proving own access of ${covered.length} tenants`);
  for (const t of tenants) prover.self(t);
  if (mode === 'pairwise') provePairwise(prover, tenants, progress);
  else proveByClasses(prover, tenants, groups, index, progress);
  progress('proving sign-in and account controls');
  const fullControls =
    mode === 'pairwise'
      ? undefined
      : new Set(
          [...[...classes.values()].flatMap((members) => members.slice(0, 2)), ...tenants.filter((t) => irregular.has(t.name) || focus?.has(t.name))].map(
            (t) => t.name,
          ),
        );
  const accounts = proveAccounts(model, tenants, mode, focus, fullControls);
  prover.findings.push(...layerFindings(accounts.failed));
  prover.simulations += accounts.simulations;
  progress('proving the metrics export');
  const metrics = proveMetrics(model, tenants, mode, focus);
  prover.findings.push(...layerFindings(metrics.failed));
  prover.simulations += metrics.simulations;
  notes.push(...metrics.notes);
  if (!model.accounts || model.accounts.signIns.length === 0)
    notes.push('no Identity Center assignment in the synthesized output: no tenant has a sign-in path');
  return {
    mode,
    tenants: tenants.map((t) => t.name),
    classes: [...classes].map(([id, members]) => ({ id, members: members.map((m) => m.name) })),
    irregular,
    findings: prover.findings,
    simulatedPairs: prover.simulatedPairs,
    simulations: prover.simulations,
    tenantsWithoutKnownScps: tenants.filter((t) => t.placement.kind === 'unknown').map((t) => t.name),
    notes,
    seconds: (Date.now() - started) / 1000,
    accountLayer: { signIns: accounts.signIns, accountsControlled: accounts.accountsControlled },
    metricsLayer: { tenantsExported: metrics.tenantsExported },
    ...(focus === undefined ? {} : { focus: covered.map((t) => t.name) }),
  };
}

/** Reads the stacks, resolves them, and proves. Throws InputError or ProofInputError on input it cannot decide on. */
export async function proveStacks(stacks: readonly SynthStack[], options: ProofOptions = {}): Promise<ProofResult> {
  const planned =
    options.plansDir === undefined
      ? undefined
      : new PlannedPolicies(
          options.plansDir,
          stacks.map((stack) => stack.name),
        );
  const computed = options.computed ?? (planned ? new OfflinePlanAttributes(stacks) : undefined);
  const resolver = new Resolver(stacks, computed, planned);
  const { model, errors } = readPlatformModel(resolver);
  if (!model) throw new ProofInputError(errors.map((e: ResolveError) => e.message));
  if (model.tenants.length === 0) throw new InputError('no tenant stacks (tenant-<name>) in the synthesized output');
  if (!planned) return proveModel(model, options);
  const mismatches = planned.accountMismatches(knownAccounts(resolver, model));
  if (mismatches.length > 0) {
    throw new ProofInputError(
      mismatches.map(
        (m) =>
          `${m.location}: the planned document in ${planned.dir} names account ${m.accounts.join(', ')}, which the synthesized output does not: plan the same synth output again ('npm run plan:offline')`,
      ),
    );
  }
  const counts = planned.counts();
  return { ...(await proveModel(model, options)), policySources: counts };
}

/** Tenant accounts and the accounts of every AWS provider of every stack, as the proof resolves them. */
function knownAccounts(resolver: Resolver, model: PlatformModel): Set<string> {
  const known = new Set(model.tenants.map((t) => t.accountId));
  for (const stack of resolver.stackNames()) {
    const providers = resolver.stack(stack).json.provider;
    const aws = isRecord(providers) ? providers.aws : undefined;
    for (const block of Array.isArray(aws) ? aws : aws ? [aws] : []) {
      const alias = isRecord(block) && typeof block.alias === 'string' ? block.alias : undefined;
      try {
        known.add(resolver.providerOf(stack, alias).account);
      } catch (error) {
        if (!(error instanceof ResolveError)) throw error;
      }
    }
  }
  return known;
}

export async function proveSynthDir(dir: string, options: ProofOptions = {}): Promise<ProofResult> {
  options.progress?.(`reading ${dir}`);
  return proveStacks(readSynthDir(dir), options);
}
