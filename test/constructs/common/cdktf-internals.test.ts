import { Lazy } from 'cdktf';
import { assertPinnedCdktf, installedCdktfVersion, PINNED_CDKTF_VERSION, withoutTokenStackTraces } from '../../../constructs/common/cdktf-internals';

/** cdktf keeps the trace on the token as `creationStack`. */
function creationStackOf(token: unknown): readonly string[] {
  return (token as { creationStack: string[] }).creationStack;
}

const newTokenStack = () => creationStackOf(Lazy.anyValue({ produce: () => 'value' }));

describe('withoutTokenStackTraces', () => {
  it('records no creation stack for tokens made inside it, unlike outside', () => {
    expect(withoutTokenStackTraces(newTokenStack, {})).toEqual([]);
    expect(newTokenStack()).not.toHaveLength(0);
  });

  it('keeps the stack trace of errors thrown inside it', () => {
    const error = withoutTokenStackTraces(() => new Error('boom'), {});
    expect(error.stack).toMatch(/^Error: boom\n\s+at /);
  });

  it('restores stack traces afterwards, also when the run throws', () => {
    expect(() =>
      withoutTokenStackTraces(() => {
        throw new Error('failed');
      }, {}),
    ).toThrow('failed');
    expect(newTokenStack()).not.toHaveLength(0);
  });

  it('keeps creation stacks with DEBUG set', () => {
    expect(withoutTokenStackTraces(newTokenStack, { DEBUG: '1' })).not.toHaveLength(0);
  });

  it('returns what the run returns', () => {
    expect(withoutTokenStackTraces(() => 42, {})).toBe(42);
  });
});

describe('the cdktf version check', () => {
  it('passes the installed cdktf, which is the pinned one (npm ci installs the locked version)', () => {
    expect(installedCdktfVersion()).toBe(PINNED_CDKTF_VERSION);
    expect(() => assertPinnedCdktf()).not.toThrow();
  });

  it('fails another version with exit 70 and what to do, naming the module that lists the internals', () => {
    expect(() => assertPinnedCdktf('0.22.0')).toThrow(
      expect.objectContaining({
        code: 70,
        message: expect.stringMatching(
          /^cdktf 0\.22\.0 is installed, but the synth relies on internals of cdktf 0\.21\.0 \(constructs\/common\/cdktf-internals\.ts lists them\): run 'npm ci'/,
        ),
      }),
    );
  });
});
