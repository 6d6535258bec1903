import { Lazy } from 'cdktf';
import { withoutTokenStackTraces } from '../../stacks/token-stack-traces';

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
