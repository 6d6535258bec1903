/** The cost ceiling the plan review reads from a pool's limits. */
import { dearestMix, HOURS_PER_MONTH, poolCeiling } from '../../../config/cost';

const PRICES = {
  small: { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 5 },
  big: { gpus: 4, vcpus: 48, memoryGi: 192, onDemandHourlyUsd: 6 },
};

describe('dearestMix', () => {
  test('finds the dearest set of instances whose GPUs fit the limit, even when it is not maxNodes of the dearest type', () => {
    // 8 GPUs: two big nodes cost $12/h, eight small ones $40/h; Karpenter may launch either.
    expect(
      dearestMix(8, [
        { name: 'small', gpus: 1, hourlyUsd: 5 },
        { name: 'big', gpus: 4, hourlyUsd: 6 },
      ]),
    ).toEqual({ hourlyUsd: 40, mix: { small: 8 } });
  });

  test('mixes types when the limit is not a multiple of the dearest per GPU', () => {
    expect(
      dearestMix(9, [
        { name: 'one', gpus: 1, hourlyUsd: 1 },
        { name: 'four', gpus: 4, hourlyUsd: 5 },
      ]),
    ).toEqual({ hourlyUsd: 11, mix: { four: 2, one: 1 } });
  });

  test('is zero for a zero limit', () => {
    expect(dearestMix(0, [{ name: 'one', gpus: 1, hourlyUsd: 1 }])).toEqual({ hourlyUsd: 0, mix: {} });
  });
});

describe('poolCeiling', () => {
  test('adds the warm nodes at the highest price of the pool to the dynamic pool’s dearest mix', () => {
    const ceiling = poolCeiling({ name: 'p', instanceTypes: ['small', 'big'], capacity: 'spot', warmNodes: 1, gpuLimit: 4 }, PRICES);
    expect(ceiling.hourlyUsd).toBe(6 + 20);
    expect(ceiling.monthlyUsd).toBe(26 * HOURS_PER_MONTH);
    expect(ceiling.mix).toEqual({ small: 4 });
  });

  test('counts unpriced types as 0 and names them', () => {
    const ceiling = poolCeiling({ name: 'p', instanceTypes: ['big', 'p9.mega'], capacity: 'on-demand', warmNodes: 0, gpuLimit: 8 }, PRICES);
    expect(ceiling.hourlyUsd).toBe(12);
    expect(ceiling.unpriced).toEqual(['p9.mega']);
  });
});
