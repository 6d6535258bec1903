/** Tests and the benchmark share the generated tenants; they live with the benchmark (bench/generated-tenants.ts). */
export { generatedTenantName, generateTenants } from '../../bench/generated-tenants';
