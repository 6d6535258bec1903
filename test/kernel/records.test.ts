import { asRecord, isPlainObject, isRecord, recordAt } from '../../kernel/records';

describe('isRecord', () => {
  test('accepts objects, rejects null, arrays and scalars', () => {
    expect([{}, { a: 1 }, Object.create(null)].map(isRecord)).toEqual([true, true, true]);
    expect([null, undefined, [], 'x', 1, true].map(isRecord)).toEqual([false, false, false, false, false, false]);
  });

  test('asRecord and recordAt return the object or undefined', () => {
    expect(asRecord([1])).toBeUndefined();
    expect(recordAt({ a: { b: { c: 1 } } }, 'a', 'b')).toEqual({ c: 1 });
    expect(recordAt({ a: { b: [1] } }, 'a', 'b')).toBeUndefined();
    expect(recordAt({ a: 1 }, 'a', 'b')).toBeUndefined();
  });

  test('isPlainObject rejects class instances, which isRecord accepts', () => {
    expect(isRecord(new Date())).toBe(true);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject({ a: 1 })).toBe(true);
  });
});
