/**
 * The onboarding register: which existing accounts the platform team has taken in, and for
 * which tenant. A tenant file can adopt an account only if the register pairs that account
 * with that tenant, so naming another team's account proves nothing by itself.
 *
 * The register lives beside the tenant files (`<tenants dir>/onboarding/adopted-accounts.yaml`)
 * and only platform owners may approve changes to it (CODEOWNERS). The platform team adds
 * an entry after moving the account into the onboarding OU from the management account,
 * which only the management account can do (docs/accounts.md).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { FieldPath } from './issues';
import { DNS_LABEL } from './schema';

/** The folder of the tenant directory that holds the register (the one folder allowed there). */
export const ONBOARDING_DIRECTORY = 'onboarding';
export const ADOPTION_REGISTER = path.join(ONBOARDING_DIRECTORY, 'adopted-accounts.yaml');

export const adoptionRegisterSchema = z.strictObject({
  accounts: z
    .record(z.string(), z.string().regex(DNS_LABEL, { message: 'must be the name of the tenant the account is adopted for' }))
    .superRefine((accounts, ctx) => {
      for (const id of Object.keys(accounts)) {
        if (!/^\d{12}$/.test(id)) ctx.addIssue({ code: 'custom', path: [id], message: `'${id}' is not a 12-digit AWS account id (quote it as a string)` });
      }
    })
    .describe('Account id: tenant name. One tenant per account.'),
});

export type AdoptionRegister = ReadonlyMap<string, string>;

export function adoptionRegisterPath(tenantsDir: string): string {
  return path.join(tenantsDir, ADOPTION_REGISTER);
}

export function hasAdoptionRegister(tenantsDir: string): boolean {
  return existsSync(adoptionRegisterPath(tenantsDir));
}

/** The issue of a tenant file that adopts an account the register does not give it, if any. */
export function adoptionIssue(
  tenant: { name: string; account: { id?: string; email?: string } },
  register: AdoptionRegister,
): { path: FieldPath; message: string } | undefined {
  const id = tenant.account.id;
  if (id === undefined || tenant.account.email !== undefined) return undefined;
  const owner = register.get(id);
  if (owner === tenant.name) return undefined;
  const where = `the onboarding register (${ADOPTION_REGISTER} in the tenants directory)`;
  if (owner !== undefined) {
    return {
      path: ['account', 'id'],
      message: `account ${id} is registered for tenant '${owner}' in ${where}; a tenant adopts only an account the platform team registered for it`,
    };
  }
  return {
    path: ['account', 'id'],
    message: `account ${id} is not in ${where}: adopting an account needs the platform team to move it into the onboarding OU and register it for '${tenant.name}' (docs/accounts.md); or vend a new account with account.email`,
  };
}
