/**
 * The GitHub workflows cannot run here; these tests read them and check what they call:
 * every `npm run` names a script that exists, the fork-safe job holds no cloud
 * credential, the plan job runs only for branches of this repository, and the deploy
 * runs in dependency order behind a protected environment.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { USAGE } from '../../../bin/plan-review';
import { USAGE as PR_CHECK_USAGE } from '../../../bin/pr-check';
import { loadPlatformFile } from '../../../config/load';
import { toPlatform } from '../../../config/model';
import { STICKY_MARKER } from '../../../tools/plan-review/render';
import { REPO_ROOT } from './temp';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly 'runs-on'?: unknown;
  readonly env?: Record<string, unknown>;
  readonly environment?: unknown;
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
const scripts = Object.keys((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const pullRequest = workflow('pull-request.yml');
const deploy = workflow('deploy.yml');
const platformFile = loadPlatformFile(path.join(REPO_ROOT, 'platform.yaml')).value;
if (!platformFile) throw new Error('platform.yaml does not load');
const platform = toPlatform(platformFile);

/** Script names of every `npm run [flags] <name>` and `npm test` in a job's steps. */
function npmScripts(job: Job): string[] {
  const runs = job.steps.map((s) => s.run ?? '').join('\n');
  const named = [...runs.matchAll(/\bnpm run((?:\s+-{1,2}[a-z-]+)*)\s+([A-Za-z0-9:_-]+)/g)].map((m) => m[2]);
  const tests = [...runs.matchAll(/\bnpm (?:test|t)\b/g)].map(() => 'test');
  return [...named, ...tests];
}

function stepIndex(job: Job, pattern: RegExp): number {
  return job.steps.findIndex((s) => pattern.test(s.run ?? ''));
}

describe('workflows call scripts that exist', () => {
  it.each([
    ['pull-request.yml', pullRequest],
    ['deploy.yml', deploy],
  ])('%s names only npm scripts of package.json', (_, wf) => {
    const used = Object.values(wf.jobs).flatMap(npmScripts);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it.each([
    ['plan-review', USAGE, 2],
    ['pr:check', PR_CHECK_USAGE, 2],
  ])('passes %s only options it knows', (command, usage, atLeast) => {
    const runs = [...Object.values(pullRequest.jobs), ...Object.values(deploy.jobs)].flatMap((j) => j.steps.map((s) => s.run ?? ''));
    const options = runs.filter((r) => r.includes(`npm run --silent ${command} `)).flatMap((r) => [...r.matchAll(/(--[a-z-]+) "/g)].map((m) => m[1]));
    expect(options.length).toBeGreaterThan(atLeast);
    expect(options.filter((o) => !usage.includes(`${o} <`))).toEqual([]);
  });
});

describe('actions', () => {
  it.each([
    ['pull-request.yml', pullRequest],
    ['deploy.yml', deploy],
  ])('%s pins every action by commit: a moved tag cannot change what runs with credentials', (_, wf) => {
    const uses = Object.values(wf.jobs).flatMap((job) => job.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
    expect(uses.length).toBeGreaterThan(3);
    expect(uses.filter((u) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u))).toEqual([]);
  });
});

describe('pull-request workflow', () => {
  const review = pullRequest.jobs.review;
  const plan = pullRequest.jobs.plan;

  it('runs on pull_request, never pull_request_target', () => {
    expect(Object.keys(pullRequest.on)).toEqual(['pull_request']);
  });

  it('installs, validates, tests, synthesizes the base, then checks the pull request over it, in that order', () => {
    const order = [/npm ci/, /npm run validate/, /npm test/, /npm run synth/, /npm run --silent pr:check/].map((p) => stepIndex(review, p));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(review.steps.filter((s) => /npm run synth/.test(s.run ?? '')).map((s) => String(s.env?.CDKTF_OUTDIR))).toEqual([
      expect.stringContaining('synth-base'),
    ]);
    const check = review.steps[order[4]];
    expect(check.run).toContain('--base "$RUNNER_TEMP/synth-base"');
    expect(check.run).toContain('--synth "$RUNNER_TEMP/synth-head"');
  });

  it('plans the changed stacks offline inside the check: never skipped, with the provider mirror', () => {
    const check = review.steps[stepIndex(review, /npm run --silent pr:check/)];
    expect(check.run).not.toContain('--skip-plan');
    expect(check.env?.TF_PLUGIN_MIRROR).toEqual(expect.stringContaining('tf-plugins'));
  });

  it('sets up Terraform and the provider mirror before the tests, and requires them there', () => {
    const test = review.steps.findIndex((s) => /^npm test$/.test(s.run ?? ''));
    expect(test).toBeGreaterThan(review.steps.findIndex((s) => s.uses?.startsWith('hashicorp/setup-terraform')));
    expect(test).toBeGreaterThan(stepIndex(review, /providers mirror/));
    expect(review.steps[test].env).toEqual(expect.objectContaining({ REQUIRE_TERRAFORM: '1', TF_PLUGIN_MIRROR: expect.stringContaining('tf-plugins') }));
  });

  it('keeps the check reports the review read, as JSON, with the review', () => {
    const kept = review.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(String(kept?.with?.path)).toContain('/pr-check/guardrails.json');
    expect(String(kept?.with?.path)).toContain('/pr-check/proof.json');
    expect(String(kept?.with?.path)).toContain('/pr-check/timings.json');
    expect(JSON.stringify(review)).not.toContain('exit code: $status');
  });

  it('holds no cloud credential in the fork-safe review job', () => {
    const text = JSON.stringify(review);
    expect(review.permissions?.['id-token']).toBeUndefined();
    expect(text).not.toMatch(/configure-aws-credentials|secrets\.|AWS_ACCESS_KEY|AWS_SECRET|role-to-assume/);
    expect(pullRequest.permissions).toEqual({ contents: 'read' });
  });

  it('posts one sticky comment found by the review marker', () => {
    const comment = review.steps.find((s) => s.uses?.startsWith('actions/github-script'))!;
    expect(String(comment.with?.script)).toContain(STICKY_MARKER);
    expect(String(comment.with?.script)).toMatch(/updateComment[\s\S]*createComment/);
  });

  it('plans with a read-only role through OIDC only for same-repository pull requests', () => {
    expect(plan.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(plan.permissions?.['id-token']).toBe('write');
    const credentials = plan.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ vars.PLAN_ROLE_ARN }}');
  });

  it('gets the planner only after approval in the plan environment, and plans in plan mode', () => {
    expect(plan.environment).toBe(platform.github?.planEnvironment);
    expect(plan.env?.TF_VAR_mode).toBe('plan');
    // The planner may not write the state lock object.
    expect(plan.env?.TF_CLI_ARGS_plan).toBe('-lock=false');
    // No step switches the identity back to deploy.
    expect(JSON.stringify(plan.steps)).not.toMatch(/TF_VAR_mode|-var[ =]+mode/);
  });

  it('runs cdktf diff on the changed stacks computed by the review only', () => {
    const diff = plan.steps.find((s) => /cdktf diff/.test(s.run ?? ''))!;
    expect(diff.env?.CHANGED_STACKS).toBe('${{ needs.review.outputs.changed-stacks }}');
    expect(diff.run).toMatch(/for stack in \$CHANGED_STACKS/);
    expect(review.steps.find((s) => /pr:check/.test(s.run ?? ''))?.run).toContain('/pr-check/changed-stacks.txt');
  });
});

describe('deploy workflow', () => {
  const job = deploy.jobs.deploy;

  it('runs on main behind the protected environment the deployer roles trust, in deploy mode', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(job.environment).toBe(platform.github?.deployEnvironment);
    expect(job.environment).not.toBe(pullRequest.jobs.plan.environment);
    expect(job.env?.TF_VAR_mode).toBe('deploy');
  });

  it('compares with the last successful deploy, not the previous push, so a failed or cancelled run loses nothing', () => {
    const last = job.steps.findIndex((s) => s.name === 'Find the last successful deploy');
    expect(job.steps[last].run).toMatch(/gh run list [^\n]*--workflow deploy\.yml [^\n]*--branch main [^\n]*--status success/);
    expect(job.permissions?.actions).toBe('read');
    const base = job.steps.find((s) => s.uses?.startsWith('actions/checkout') && s.with?.path === 'base');
    expect(base?.with?.ref).toBe('${{ steps.last.outputs.sha }}');
    expect(job.steps.indexOf(base!)).toBeGreaterThan(last);
    expect(JSON.stringify(deploy)).not.toContain('github.event.before');
  });

  it('runs on a configurable runner (one that reaches the cluster API)', () => {
    expect(job['runs-on']).toBe(`\${{ fromJSON(vars.DEPLOY_RUNNER_LABELS || '["ubuntu-latest"]') }}`);
  });

  it('deploys organization, then shared, then the changed tenant stacks', () => {
    const order = [/cdktf deploy organization/, /cdktf deploy shared shared-k8s shared-pools/, /cdktf deploy \$TENANT_STACKS/].map((p) => stepIndex(job, p));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stepIndex(job, /--changed-stacks/)).toBeLessThan(order[0]);
  });
});
