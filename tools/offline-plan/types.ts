/** What `planOffline` reports for each stack, shared by the CLI and other tools. */

export type { TerraformJson } from '../../kernel/terraform-json';

export type DiagnosticStage = 'offline-copy' | 'init' | 'validate' | 'plan' | 'show' | 'schema';

export interface PlanDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Which step reported it: the tool's own offline copy, or a Terraform command. */
  readonly stage: DiagnosticStage;
  readonly summary: string;
  readonly detail?: string;
  /** Terraform address, e.g. `aws_eks_node_group.gpu-pool_nodes_node-group_F575CA85`. */
  readonly address?: string;
  /** The construct that produced the block (cdktf's `//` metadata), e.g. `tenant-x/gpu-pool-train/nodes/node-group`. */
  readonly constructPath?: string;
}

/** Resources the offline plan left out, by provider, with the reason. Never empty silently: the CLI prints these loudly. */
export interface NotValidated {
  readonly provider: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly reason: string;
}

export interface StackPlanResult {
  readonly stack: string;
  /** valid: Terraform validated and planned the offline copy without errors. */
  readonly status: 'valid' | 'invalid';
  /** The stack's own Terraform working directory. */
  readonly workDir: string;
  /** `terraform show -json` of the plan (`<workDir>/<stack>/plan.json`); absent when no plan was made. */
  readonly planJsonPath?: string;
  /** Resources the plan creates; 0 when no plan was made. */
  readonly resourcesToCreate: number;
  /** Resources in the synthesized stack, before anything was left out. */
  readonly resourcesInStack: number;
  readonly diagnostics: readonly PlanDiagnostic[];
  readonly notValidated: readonly NotValidated[];
  /** In-cluster objects validated offline against the Kubernetes API schemas (tools/kubernetes-schema) instead of planned. @default 0 */
  readonly schemaValidated?: number;
  readonly seconds: number;
}
