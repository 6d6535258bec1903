/**
 * Offline plan: every synthesized stack planned by the real Terraform and AWS provider,
 * without credentials or network. For other tools:
 *
 *   const results = await planOffline({ synthDir: 'cdktf.out', workDir: '.plan-offline' });
 *   for (const r of results) if (r.planJsonPath) readPlanJson(r.planJsonPath);
 *
 * Each stack's plan JSON (`terraform show -json`) is at `<workDir>/<stack>/plan.json`
 * (`planJsonPath(workDir, stack)`), written only when the stack planned; all results are in
 * `<workDir>/results.json`.
 */
export {
  planOffline,
  planJsonPath,
  DEFAULT_SYNTH_DIR,
  DEFAULT_WORK_DIR,
  RESULTS_FILE,
  STACK_FILES,
  UnknownStackError,
  type PlanOfflineOptions,
} from './plan-offline';
export { readPlanJson, countCreates, type PlanJson, type ResourceChange } from '../../kernel/plan-json';
export { OfflinePlanUnavailable } from './terraform';
export type { StackPlanResult, PlanDiagnostic, NotValidated } from './types';
