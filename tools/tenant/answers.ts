/**
 * Checks of one answer of interactive `tenant:new`, as soon as it is given: the same rules
 * as `npm run validate` for that field alone, so a wrong name is asked again at once rather
 * than refused after the last question, with every answer lost.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TENANT_FILE_EXTENSION } from '../../config/load';
import { DEFAULTS } from '../../config/model';
import { derivedNames, isReservedTenantName, NAME_LIMITS } from '../../config/names';
import { tenantSchema, type PlatformFile } from '../../config/schema';
import type { AnswerChecks } from './request';

/** Each returns what is wrong with the answer, or undefined when it is fine. */
function schemaMessage(
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: string,
): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error?.issues[0]?.message;
}

export function answerChecks(platform: PlatformFile, tenantsDir: string): AnswerChecks {
  return {
    name: (name) => {
      const shape = schemaMessage(tenantSchema.shape.name, name);
      if (shape) return shape;
      if (isReservedTenantName(name)) return `'${name}' is reserved for the platform; choose another name`;
      const tooLong = derivedNames(platform.name, platform.accounts.platform, { name, buckets: DEFAULTS.buckets, gpuPools: [] }).find(
        (d) => d.name.length > NAME_LIMITS[d.kind],
      );
      if (tooLong)
        return `too long: it makes the ${tooLong.kind} name '${tooLong.name}' (${tooLong.name.length} characters, limit ${NAME_LIMITS[tooLong.kind]}); shorten it by ${tooLong.name.length - NAME_LIMITS[tooLong.kind]}`;
      if (existsSync(path.join(tenantsDir, `${name}${TENANT_FILE_EXTENSION}`)))
        return `tenant '${name}' already exists (${path.join(tenantsDir, name + TENANT_FILE_EXTENSION)}); choose another name`;
      return undefined;
    },
    owner: (owner) => schemaMessage(tenantSchema.shape.owner, owner),
    costCenter: (code) => schemaMessage(tenantSchema.shape.costCenter, code),
    gpu: (gpu) => {
      const unknown = gpu.instanceTypes.filter((t) => !(t in platform.gpuInstanceTypes));
      if (unknown.length > 0)
        return `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an allowed GPU instance type; use one of ${Object.keys(platform.gpuInstanceTypes).join(', ')}`;
      const caps = platform.tenantCaps;
      if (gpu.maxNodes < 1 || gpu.maxNodes > caps.maxNodesPerPool)
        return `max nodes must be 1 to ${caps.maxNodesPerPool} (the platform cap), got ${gpu.maxNodes}`;
      const perNode = Math.max(...gpu.instanceTypes.map((t) => platform.gpuInstanceTypes[t].gpus));
      if (perNode * gpu.maxNodes > caps.maxGpus) {
        return `${gpu.maxNodes} nodes of up to ${perNode} GPUs make ${perNode * gpu.maxNodes} GPUs, over the platform cap of ${caps.maxGpus} per tenant; at most ${Math.floor(caps.maxGpus / perNode)} nodes`;
      }
      return undefined;
    },
  };
}
