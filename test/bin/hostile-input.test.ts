/**
 * The hostile and broken input corpus: each case runs a real command (the code `npm run`
 * runs, compiled once per test run: test/support/run-command.ts) in a scratch copy of the repository's settings, and states the exit code, a fragment of
 * the message, and that nothing in the scratch directory was written or deleted. Cases a
 * root user cannot see (unreadable files) run as the user `nobody` when the tests run as root.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { synthesize } from '../../synth/synthesize';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir, tenantFields } from '../support/config-fixtures';
import { compiledCommand } from '../support/run-command';

const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

type Command = 'validate' | 'synth' | 'guardrails' | 'prove-isolation' | 'plan-offline' | 'plan-review' | 'tenant-new';

interface Case {
  readonly name: string;
  readonly command: Command;
  readonly args?: readonly string[];
  /** Environment relative to the scratch directory: `{ws}` is replaced by its path. */
  readonly env?: Readonly<Record<string, string>>;
  /** Changes the scratch copy before the command runs (before the snapshot). */
  readonly setup?: (ws: string) => void;
  /** Needs a user that file permissions apply to. */
  readonly unprivileged?: boolean;
  readonly code: number;
  /** Fragments of standard error (or, for exit 0, of standard output unless `stream` says otherwise), `{ws}` replaced. */
  readonly says: readonly string[];
  readonly stream?: 'stdout' | 'stderr';
}

const INJECTED_OWNER = 'x${file("/etc/hostname")}@example.com';

function writeYaml(file: string, body: unknown): void {
  writeFileSync(file, stringify(body));
}

function editPlatform(ws: string, edit: (text: string) => string): void {
  const file = path.join(ws, 'platform.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

/** An earlier synth of the scratch copy, into `<ws>/cdktf.out`. */
function synthInto(ws: string, outdir = path.join(ws, 'cdktf.out')): void {
  synthesize({ paths: { platformFile: path.join(ws, 'platform.yaml'), tenantsDir: path.join(ws, 'tenants') }, outdir });
}

const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

const CASES: readonly Case[] = [
  // Reading the tenant directory.
  {
    name: 'a symbolic link loop in tenants/',
    command: 'validate',
    setup: (ws) => symlinkSync('loop.yaml', path.join(ws, 'tenants', 'loop.yaml')),
    code: 1,
    says: ['tenants/loop.yaml: a symbolic link that is a symbolic link loop'],
  },
  {
    name: 'a dangling symbolic link',
    command: 'validate',
    setup: (ws) => symlinkSync('gone.yaml', path.join(ws, 'tenants', 'dangling.yaml')),
    code: 1,
    says: ["tenants/dangling.yaml: a dangling symbolic link (to 'gone.yaml', which does not exist): remove it"],
  },
  {
    name: 'a symbolic link to a file outside',
    command: 'validate',
    setup: (ws) => symlinkSync('/etc/hostname', path.join(ws, 'tenants', 'host.yaml')),
    code: 1,
    says: ["tenants/host.yaml: a symbolic link (to '/etc/hostname'): tenant files must be regular files"],
  },
  {
    name: 'a folder in tenants/',
    command: 'validate',
    setup: (ws) => mkdirSync(path.join(ws, 'tenants', 'team')),
    code: 1,
    says: ['tenants/team: a folder in the tenant directory'],
  },
  {
    name: 'another file in tenants/',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'notes.txt'), 'hi'),
    code: 1,
    says: ['tenants/notes.txt: not a tenant file'],
  },
  {
    name: 'a .yml tenant file',
    command: 'validate',
    setup: (ws) => writeYaml(path.join(ws, 'tenants', 'team.yml'), tenantFields('team')),
    code: 1,
    says: ['tenants/team.yml: tenant files end in .yaml: rename it to team.yaml'],
  },
  {
    name: 'an unreadable tenant file',
    command: 'validate',
    unprivileged: true,
    setup: (ws) => chmodSync(path.join(ws, 'tenants', 'analytics.yaml'), 0o000),
    code: 1,
    says: ['tenants/analytics.yaml: permission denied'],
  },
  {
    name: 'an unreadable tenant directory',
    command: 'validate',
    unprivileged: true,
    setup: (ws) => chmodSync(path.join(ws, 'tenants'), 0o000),
    code: 1,
    says: ['tenants: tenant directory is permission denied'],
  },
  {
    name: 'TENANTS_DIR that does not exist',
    command: 'validate',
    env: { TENANTS_DIR: '{ws}/none' },
    code: 1,
    says: ['none: tenant directory not found: create it, or point TENANTS_DIR at it'],
  },
  { name: 'TENANTS_DIR that is a file', command: 'validate', env: { TENANTS_DIR: '{ws}/platform.yaml' }, code: 1, says: ['platform.yaml: is not a directory'] },
  {
    name: 'an empty TENANTS_DIR, said out loud',
    command: 'validate',
    setup: (ws) => mkdirSync(path.join(ws, 'empty')),
    env: { TENANTS_DIR: '{ws}/empty' },
    code: 0,
    says: ['there are no tenant files in {ws}/empty (add one with npm run tenant:new)'],
  },
  {
    name: 'PLATFORM_CONFIG that is a named pipe',
    command: 'validate',
    setup: (ws) => spawnSync('mkfifo', [path.join(ws, 'pipe.yaml')]),
    env: { PLATFORM_CONFIG: '{ws}/pipe.yaml' },
    code: 1,
    says: ['pipe.yaml: not a regular file: a platform settings file must be a file'],
  },
  {
    name: 'PLATFORM_CONFIG that is a named pipe, in the synth',
    command: 'synth',
    setup: (ws) => spawnSync('mkfifo', [path.join(ws, 'pipe.yaml')]),
    env: { PLATFORM_CONFIG: '{ws}/pipe.yaml' },
    code: 1,
    says: ['pipe.yaml: not a regular file', 'synth: 1 problem found; nothing was written'],
  },
  {
    name: 'PLATFORM_CONFIG that does not exist',
    command: 'validate',
    env: { PLATFORM_CONFIG: '{ws}/none.yaml' },
    code: 1,
    says: ['none.yaml: file not found: create it, or point PLATFORM_CONFIG at the platform settings'],
  },
  // Files themselves.
  {
    name: 'a 27 MB tenant file with 1.5 million buckets, refused before parsing',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'huge.yaml'), `name: huge\nbuckets:\n${'  - name: b\n'.repeat(1_500_000)}`),
    code: 1,
    says: ['tenants/huge.yaml: ', 'KiB is over the limit of 64 KiB for a tenant file'],
  },
  {
    name: 'a YAML alias bomb',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'bomb.yaml'), ALIAS_BOMB),
    code: 1,
    says: ['tenants/bomb.yaml: too many YAML aliases'],
  },
  {
    name: 'a YAML file nested thousands of levels deep',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'deep.yaml'), `name: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n`),
    code: 1,
    says: ['tenants/deep.yaml:', 'nested too deeply to read'],
  },
  {
    name: 'a binary file named .yaml',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'bin.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])),
    code: 1,
    says: ['tenants/bin.yaml: not a text file'],
  },
  {
    name: 'a duplicated key, named',
    command: 'validate',
    setup: (ws) => writeFileSync(path.join(ws, 'tenants', 'dup.yaml'), `${stringify(tenantFields('dup'))}owner: other@example.com\n`),
    code: 1,
    says: ['tenants/dup.yaml:', "duplicate key 'owner': each key may appear once"],
  },
  // Validation gaps.
  {
    name: 'a region outside allowedRegions',
    command: 'validate',
    setup: (ws) => editPlatform(ws, (t) => t.replace('region: us-east-1\n', 'region: eu-west-1\n')),
    code: 1,
    says: ["platform.yaml:4:9 region: 'eu-west-1' is not in allowedRegions"],
  },
  {
    name: 'zones of another region',
    command: 'validate',
    setup: (ws) => editPlatform(ws, (t) => t.replace('us-east-1c]', 'us-west-2c]')),
    code: 1,
    says: ["cluster.availabilityZones[2]: 'us-west-2c' is a zone of us-west-2, not of the cluster's region us-east-1"],
  },
  {
    name: 'a pool whose GPUs at maxNodes exceed the GPU quota',
    command: 'validate',
    setup: (ws) =>
      writeYaml(
        path.join(ws, 'tenants', 'big.yaml'),
        tenantFields('big', {
          gpuPools: [{ name: 'train', instanceTypes: ['g6.12xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 8 }],
          quota: { cpu: 16, memoryGi: 64, gpus: 8 },
        }),
      ),
    code: 1,
    says: ['gpuPools[0].maxNodes: 8 nodes of up to 4 GPUs make 32 GPUs, more than quota.gpus (8): lower maxNodes to 2 or raise quota.gpus to 32'],
  },
  {
    name: 'a pool with a GPU quota of 0',
    command: 'validate',
    setup: (ws) => writeYaml(path.join(ws, 'tenants', 'zero.yaml'), tenantFields('zero', { quota: { cpu: 16, memoryGi: 64, gpus: 0 } })),
    code: 1,
    says: ["quota.gpus: is 0, so no pod may use the GPUs of pool 'train'"],
  },
  {
    name: 'a 1 GiB root volume',
    command: 'validate',
    setup: (ws) =>
      writeYaml(
        path.join(ws, 'tenants', 'disk.yaml'),
        tenantFields('disk', { gpuPools: [{ name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2, diskGi: 1 }] }),
      ),
    code: 1,
    says: ['gpuPools[0].diskGi: must be at least 50'],
  },
  {
    name: 'a duplicate tenant name, blamed on the file that brings it',
    command: 'validate',
    setup: (ws) => writeYaml(path.join(ws, 'tenants', 'zzz.yaml'), tenantFields('analytics', { account: { email: 'aws+zzz@example.com' } })),
    code: 1,
    says: ["tenants/zzz.yaml:1:7 name: tenant name 'analytics' is already used by tenants/analytics.yaml"],
  },
  // Terraform template injection.
  {
    name: 'owner with ${file(...)}',
    command: 'validate',
    setup: (ws) => writeYaml(path.join(ws, 'tenants', 'evil.yaml'), tenantFields('evil', { owner: INJECTED_OWNER })),
    code: 1,
    says: ['tenants/evil.yaml:2:8 owner: must be an e-mail address'],
  },
  {
    name: 'account e-mail with ${sha1(...)}',
    command: 'synth',
    setup: (ws) => writeYaml(path.join(ws, 'tenants', 'evil.yaml'), tenantFields('evil', { account: { email: 'a${sha1("x")}@example.com' } })),
    code: 1,
    says: ['account.email: must be an e-mail address', 'synth: 1 problem found; nothing was written'],
  },
  {
    name: 'an environment dump in a tag value',
    command: 'guardrails',
    setup: (ws) => editPlatform(ws, (t) => t.replace('owner: ml-platform-team', 'owner: ${base64encode(file("/proc/self/environ"))}')),
    code: 1,
    says: ['tags.owner: tag values take letters, digits, spaces and _.:/=+-@'],
  },
  // The synth's output directory.
  {
    name: 'CDKTF_OUTDIR pointing at a directory of notes',
    command: 'synth',
    setup: (ws) => {
      mkdirSync(path.join(ws, 'notes', 'sub'), { recursive: true });
      writeFileSync(path.join(ws, 'notes', 'notes.txt'), 'keep me');
    },
    env: { CDKTF_OUTDIR: '{ws}/notes' },
    code: 1,
    says: [
      'output directory notes is not an earlier synth output (it has no synth-inputs.json) and is not empty (notes.txt, sub)',
      'nothing was written or deleted',
    ],
  },
  {
    name: 'CDKTF_OUTDIR pointing at a file',
    command: 'synth',
    env: { CDKTF_OUTDIR: '{ws}/platform.yaml' },
    code: 1,
    says: ['output directory platform.yaml holds platform.yaml'],
  },
  {
    name: 'CDKTF_OUTDIR pointing at another file',
    command: 'synth',
    setup: (ws) => writeFileSync(path.join(ws, 'keep.txt'), 'keep'),
    env: { CDKTF_OUTDIR: '{ws}/keep.txt' },
    code: 1,
    says: ['output directory keep.txt is a file, not a directory'],
  },
  { name: 'CDKTF_OUTDIR=. (the working copy)', command: 'synth', env: { CDKTF_OUTDIR: '.' }, code: 1, says: ['holds the working directory'] },
  {
    name: 'CDKTF_OUTDIR under a file',
    command: 'synth',
    env: { CDKTF_OUTDIR: '{ws}/platform.yaml/out' },
    code: 1,
    says: ['output directory platform.yaml/out is a path through a file'],
  },
  {
    name: 'CDKTF_OUTDIR that is a symbolic link',
    command: 'synth',
    setup: (ws) => {
      mkdirSync(path.join(ws, 'real'));
      symlinkSync('real', path.join(ws, 'link'));
    },
    env: { CDKTF_OUTDIR: '{ws}/link' },
    code: 1,
    says: ['output directory link is a symbolic link, which the synth does not follow'],
  },
  {
    name: 'CDKTF_OUTDIR on a path that cannot be written',
    command: 'synth',
    env: { CDKTF_OUTDIR: '/proc/mlp-synth-out' },
    code: 1,
    says: ['cannot create the output directory /proc/mlp-synth-out (in /proc: '],
  },
  // Node's own recursive mkdir never returns for such a path.
  {
    name: 'CDKTF_OUTDIR two levels into a path that cannot be written',
    command: 'synth',
    env: { CDKTF_OUTDIR: '/proc/mlp-synth/out' },
    code: 1,
    says: ['cannot create the output directory /proc/mlp-synth/out (in /proc/mlp-synth: '],
  },
  {
    name: 'CDKTF_OUTDIR in a read-only directory',
    command: 'synth',
    unprivileged: true,
    setup: (ws) => {
      mkdirSync(path.join(ws, 'ro'));
      chmodSync(path.join(ws, 'ro'), 0o555);
    },
    env: { CDKTF_OUTDIR: '{ws}/ro/out' },
    code: 1,
    says: ['cannot create the output directory ro/out (in ro: permission denied'],
  },
  // Commands that read the synth output.
  {
    name: 'prove-isolation without an output, honouring CDKTF_OUTDIR',
    command: 'prove-isolation',
    env: { CDKTF_OUTDIR: '{ws}/nothing' },
    code: 1,
    says: ["nothing: synth output directory not found; run 'npm run synth'"],
  },
  {
    name: 'prove-isolation on an output older than a new tenant',
    command: 'prove-isolation',
    setup: (ws) => {
      synthInto(ws);
      writeYaml(path.join(ws, 'tenants', 'newcomer.yaml'), tenantFields('newcomer'));
    },
    code: 1,
    says: ["cdktf.out is stale: it no longer matches platform.yaml and tenants (tenants/newcomer.yaml added); run 'npm run synth' again; nothing was proved"],
  },
  {
    name: 'plan:offline on an output whose platform.yaml changed, honouring CDKTF_OUTDIR',
    command: 'plan-offline',
    setup: (ws) => {
      synthInto(ws, path.join(ws, 'elsewhere'));
      editPlatform(ws, (t) => t.replace('logRetentionDays: 90', 'logRetentionDays: 30'));
    },
    env: { CDKTF_OUTDIR: '{ws}/elsewhere' },
    code: 1,
    says: [
      "elsewhere is stale: it no longer matches platform.yaml and tenants (platform.yaml changed); run 'npm run synth' again with CDKTF_OUTDIR=elsewhere; nothing was planned",
    ],
  },
  { name: 'plan:offline without an output', command: 'plan-offline', code: 1, says: ["cdktf.out: synth output directory not found; run 'npm run synth'"] },
  {
    name: 'plan:offline with a work directory under a file',
    command: 'plan-offline',
    setup: (ws) => synthInto(ws),
    args: ['--work', 'platform.yaml/plans', '--stacks', 'organization'],
    code: 1,
    says: ['cannot create the work directory platform.yaml/plans: a path through a file'],
  },
  {
    name: 'plan-review of a stale output warns, and without check reports is not ok',
    command: 'plan-review',
    setup: (ws) => {
      synthInto(ws);
      rmSync(path.join(ws, 'tenants', 'analytics.yaml'));
    },
    args: ['--base', 'cdktf.out', '--head', 'cdktf.out'],
    code: 0,
    stream: 'stderr',
    says: [
      'plan-review: warning: cdktf.out is stale: it no longer matches platform.yaml and tenants (tenants/analytics.yaml removed)',
      'needs attention: 0 new, 0 changed, 0 removed tenants',
    ],
  },
  {
    name: 'prove-isolation on an output without a record warns that its origin is unknown',
    command: 'prove-isolation',
    setup: (ws) => {
      synthInto(ws);
      rmSync(path.join(ws, 'cdktf.out', 'synth-inputs.json'));
    },
    code: 0,
    stream: 'stderr',
    says: ['prove-isolation: warning: cdktf.out has no synth-inputs.json, so whether it matches the current files is unknown'],
  },
  {
    name: 'plan-review of a base that does not exist',
    command: 'plan-review',
    args: ['--base', '{ws}/base', '--head', '{ws}/head'],
    code: 1,
    says: ['{ws}/base: base directory not found'],
  },
  // tenant:new.
  {
    name: 'tenant:new with an injected owner',
    command: 'tenant-new',
    args: ['--name', 'evil', '--owner', INJECTED_OWNER, '--cost-center', 'cc-1'],
    code: 1,
    says: ['tenants/evil.yaml:4:8 owner: must be an e-mail address'],
  },
  {
    name: "tenant:new with another tenant's account e-mail, blamed on the new file, no temporary path",
    command: 'tenant-new',
    args: ['--name', 'aaa', '--owner', 'aaa@example.com', '--cost-center', 'cc-1', '--account-email', 'aws+analytics@example.com'],
    code: 1,
    says: ["tenants/aaa.yaml:7:10 account.email: account e-mail 'aws+analytics@example.com' is already used by tenants/analytics.yaml"],
  },
  {
    name: 'tenant:new into a tenant directory it cannot write',
    command: 'tenant-new',
    unprivileged: true,
    setup: (ws) => chmodSync(path.join(ws, 'tenants'), 0o555),
    args: ['--name', 'newcomer', '--owner', 'a@example.com', '--cost-center', 'cc-1'],
    code: 1,
    says: ['cannot write tenants/newcomer.yaml: tenants is permission denied'],
  },
  {
    name: 'a platform.yaml that is a directory',
    command: 'validate',
    env: { PLATFORM_CONFIG: '{ws}/tenants' },
    code: 1,
    says: ['tenants: not a regular file: a platform settings file must be a file'],
  },
  {
    name: 'tenant:new with a name that is a path',
    command: 'tenant-new',
    args: ['--name', '../escape', '--owner', 'a@example.com', '--cost-center', 'cc-1'],
    code: 1,
    says: ['--name: tenant name must be a lowercase DNS label'],
  },
];

/** Every entry under `root`, without following links: type, size and content digest. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) entries[rel] = `link ${readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        entries[rel] = `dir ${(stat.mode & 0o777).toString(8)}`;
        walk(full);
      } else if (stat.isFile())
        entries[rel] = `file ${stat.size} ${(stat.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
      else entries[rel] = `special ${(stat.mode & 0o777).toString(8)}`; // a named pipe: reading it would wait for a writer
    }
  };
  walk(root);
  return entries;
}

const SCRIPTS: Record<Command, string> = {
  validate: 'bin/validate.ts',
  synth: 'bin/synth.ts',
  guardrails: 'bin/guardrails.ts',
  'prove-isolation': 'bin/prove-isolation.ts',
  'plan-offline': 'bin/plan-offline.ts',
  'plan-review': 'bin/plan-review.ts',
  'tenant-new': 'bin/tenant-new.ts',
};

/** Runs a command to its end; the cases run a few at a time (jest's maxConcurrency), since each mostly waits on its process. */
function run(
  script: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [node, compiled] = compiledCommand(script);
    const child = spawn(node, [compiled, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('hostile and broken input', () => {
  test.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const ws = tempDir('mlp-hostile-');
    try {
      cpSync(PLATFORM_FILE, path.join(ws, 'platform.yaml'));
      cpSync(SAMPLE_TENANTS_DIR, path.join(ws, 'tenants'), { recursive: true });
      const asNobody = c.unprivileged === true && runningAsRoot;
      if (asNobody) chmodSync(ws, 0o777);
      c.setup?.(ws);
      const fill = (text: string) => text.split('{ws}').join(ws);
      const before = snapshot(ws);

      const result = await run(SCRIPTS[c.command], (c.args ?? []).map(fill), {
        cwd: ws,
        env: {
          ...process.env,
          PLATFORM_CONFIG: '',
          TENANTS_DIR: '',
          CDKTF_OUTDIR: '',
          ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, fill(v)])),
          ...(asNobody ? { HOME: tmpdir() } : {}),
        },
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      });

      const shown = (c.stream ?? (c.code === 0 ? 'stdout' : 'stderr')) === 'stdout' ? result.stdout : result.stderr;
      expect({ code: result.status, output: shown }).toEqual({ code: c.code, output: expect.any(String) });
      for (const fragment of c.says) expect(shown).toContain(fill(fragment));
      expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
      expect(result.stderr).not.toContain(path.join(tmpdir(), 'tenant-new-'));
      expect(snapshot(ws)).toEqual(before);
    } finally {
      spawnSync('chmod', ['-R', 'u+rwX', ws]);
      rmSync(ws, { recursive: true, force: true });
    }
  });

  test('the corpus covers every command that reads input', () => {
    expect(new Set(CASES.map((c) => c.command))).toEqual(new Set(Object.keys(SCRIPTS)));
  });
});
