import type { GpuPool } from '../../config/model';
import { queueQuotas } from '../../config/queue-quotas';

const SIZES = {
  'g6.xlarge': { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 0.8 },
  'g6.12xlarge': { gpus: 4, vcpus: 48, memoryGi: 192, onDemandHourlyUsd: 4.6 },
};
const pool = (name: string, instanceTypes: string[], maxNodes: number): GpuPool => ({
  name,
  instanceTypes,
  capacity: 'spot',
  minNodes: 0,
  maxNodes,
  diskGi: 200,
});
const quota = (gpus: number) => ({ cpu: 64, memoryGi: 256, gpus, pods: 200 });

describe('queue quotas', () => {
  test('CPU and memory are the namespace quota; GPUs fill the pools in file order, each up to what its nodes hold', () => {
    const q = queueQuotas({ quota: quota(10), gpuPools: [pool('serve', ['g6.xlarge'], 2), pool('train', ['g6.xlarge', 'g6.12xlarge'], 3)] }, SIZES);
    expect(q).toEqual({
      cpu: 64,
      memoryGi: 256,
      gpusByPool: [
        { pool: 'serve', gpus: 2, capacity: 2 },
        { pool: 'train', gpus: 8, capacity: 12 },
      ],
      unplacedGpus: 0,
    });
  });

  test('the pool GPU quotas never add up to more than the namespace quota, and quota no pool can hold is reported', () => {
    const small = queueQuotas({ quota: quota(3), gpuPools: [pool('a', ['g6.12xlarge'], 4), pool('b', ['g6.12xlarge'], 4)] }, SIZES);
    expect(small.gpusByPool.map((p) => p.gpus)).toEqual([3, 0]);
    const large = queueQuotas({ quota: quota(40), gpuPools: [pool('a', ['g6.12xlarge'], 4)] }, SIZES);
    expect(large.gpusByPool).toEqual([{ pool: 'a', gpus: 16, capacity: 16 }]);
    expect(large.unplacedGpus).toBe(24);
    expect(queueQuotas({ quota: quota(2), gpuPools: [] }, SIZES)).toMatchObject({ gpusByPool: [], unplacedGpus: 2 });
  });
});
