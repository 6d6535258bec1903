/** Tests and the benchmark share the generated tenants; they live with the benchmark (bench/generated-tenants.ts). */
export { generatedGroupId, generatedTenantName, generateTenants } from '../../bench/generated-tenants';
