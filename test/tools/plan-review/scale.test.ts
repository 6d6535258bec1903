/**
 * Size and speed at scale, on synth outputs cloned from a real synth of one tenant of each
 * kind (synthesizing hundreds of tenants would take minutes).
 */
import { planReview } from '../../../tools/plan-review';
import { COMMENT_LIMIT, renderReview } from '../../../tools/plan-review/render';
import { cloneSynth, PLATFORM_FILE, removeTempDirs, templateSynth, passingChecks } from './fixtures';

const GITHUB_COMMENT_LIMIT = 65_536;
let template: string;
let base150: string;

function clone(count: number, edit?: (text: string, stack: string) => string, linkFrom?: string): string {
  return cloneSynth(template, count, edit, linkFrom);
}

const review = (baseDir: string, headDir: string) => planReview({ baseDir, headDir, platformFile: PLATFORM_FILE, ...passingChecks() });

beforeAll(() => {
  template = templateSynth();
  base150 = clone(150);
});

afterAll(removeTempDirs);

describe('cloned fixtures', () => {
  it('reproduce the template byte for byte when cloning its own tenants', () => {
    const { review: r } = review(template, clone(3));
    expect(r.stacks.identical).toBe(r.stacks.head);
    expect(r.verdict).toBe('ok');
  });
});

describe('plan review of 500 new tenants', () => {
  let markdown: string;
  let full: string;
  let tenants: number;

  beforeAll(() => {
    const result = review(template, clone(503));
    markdown = result.markdown;
    tenants = result.review.tenants.new.length;
    full = renderReview(result.review, { maxChars: Infinity });
  });

  it('stays under the comment limit', () => {
    expect(tenants).toBe(500);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
  });

  it('keeps the verdict line and says what was cut', () => {
    // A third of the generated tenants adopt accounts: each adoption asks for a platform owner.
    expect(markdown.split('\n')[0]).toMatch(/^## ⚠️ Plan review: needs attention · tenants: 500 new · resources: [\d,]+ to add, 0 to change, 0 to destroy/);
    expect(markdown).toMatch(/_… [\d,]+ new tenants not shown to keep this comment under GitHub's size limit/);
  });

  it('writes every new tenant when unbounded', () => {
    expect(full.split('\n').filter((l) => /^\| `[a-z]+-\d{4}` \| /.test(l)).length).toBeGreaterThanOrEqual(500);
    expect(full).not.toContain('not shown to keep this comment');
  });
});

describe('plan review of a different change to each of 150 tenants', () => {
  let markdown: string;
  let changed: number;

  beforeAll(() => {
    // Each tenant's pod quota and the platform's tags change: no two tenants alike.
    const edit = (text: string, stack: string) =>
      text
        .split('"owner": "ml-platform-team"')
        .join('"owner": "ml-platform"')
        .replace(/"pods": "(\d+)"/, (_, pods: string) => `"pods": "${Number(pods) + Number(/\d+$/.exec(stack)?.[0] ?? 0)}"`);
    const result = review(base150, clone(150, edit));
    markdown = result.markdown;
    changed = result.review.tenants.changed.length;
  });

  it('cuts the changed tenants to stay under the limit, with balanced details', () => {
    expect(changed).toBe(150);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toMatch(/_… [\d,]+ changed tenants not shown/);
    expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length);
  });

  it('still shows the platform stacks as affecting every tenant', () => {
    expect(markdown).toContain('**`shared`** (changed)');
    expect(markdown).toContain('**affects every tenant**');
  });
});

describe('plan review of the same change to 150 tenants', () => {
  it('shows the change once for all tenants it applies to', () => {
    const retag = (text: string) => text.split('"owner": "ml-platform-team"').join('"owner": "ml-platform"');
    const { markdown } = review(base150, clone(150, retag));
    expect(markdown).not.toContain('changed tenants not shown');
    expect(markdown).toMatch(/\*\*`ads-0007`\*\* and 49 more tenants with the same changes/);
    expect(markdown.length).toBeLessThan(COMMENT_LIMIT / 4);
  });
});

describe('plan review of 1,000 vs 1,001 tenants', () => {
  it('takes under 5 s and reviews only the new tenant', () => {
    const base = clone(1000);
    const head = clone(1001, undefined, base);
    const started = Date.now();
    const { review: r } = review(base, head);
    const elapsed = Date.now() - started;
    expect(r.tenants.new.map((t) => t.name)).toEqual(['vision-1001']);
    // Every existing stack: 1,000 account and 1,000 tenant stacks, organization, shared, shared-k8s and shared-pools.
    expect(r.stacks.identical).toBe(2 * 1000 + 4);
    expect(elapsed).toBeLessThan(5000);
  });
});
