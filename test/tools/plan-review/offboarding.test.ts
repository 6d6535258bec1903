/**
 * Removing a tenant file: blocked, unless the tenant was retained first and platform.yaml
 * lists it as offboarded (the explicit, reviewed last step of offboarding).
 */
import { planReview } from '../../../tools/plan-review';
import { passingChecks, PLATFORM_FILE, platformWith, synth, tenantsDir } from './fixtures';

describe('removing a tenant file', () => {
  let retained: string;
  let active: string;
  let removed: string;
  let listing: string;
  beforeAll(() => {
    retained = synth(
      tenantsDir({
        edit: {
          analytics: (t) => {
            t.lifecycle = 'retained';
          },
        },
      }),
    );
    active = synth(tenantsDir());
    removed = synth(tenantsDir({ remove: ['analytics'] }));
    listing = platformWith((t) => `${t}\noffboardedTenants: [analytics]\n`);
  });

  const findingsOf = (base: string, platformFile: string) => planReview({ baseDir: base, headDir: removed, platformFile, ...passingChecks() }).review;

  test('of a retained tenant listed in offboardedTenants is allowed, for attention', () => {
    const review = findingsOf(retained, listing);
    expect(review.verdict).not.toBe('blocked');
    expect(review.findings.map((f) => f.text)).toContain(
      'tenant `analytics` removed after offboarding (platform.yaml `offboardedTenants`): its stack is no longer deployed; its state file stays in the state bucket',
    );
  });

  test('without the listing is blocked, and says how to offboard', () => {
    const review = findingsOf(retained, PLATFORM_FILE);
    expect(review.verdict).toBe('blocked');
    expect(review.findings[0].text).toMatch(
      /^tenant `analytics` removed: .*offboard it instead \(see below\), then list it in platform.yaml `offboardedTenants`$/,
    );
  });

  test('of a tenant still active is blocked even when listed', () => {
    const review = findingsOf(active, listing);
    expect(review.verdict).toBe('blocked');
    expect(review.findings[0].text).toContain('(it is listed, but was not retained first)');
  });
});
