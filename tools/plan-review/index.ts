/**
 * `planReview`: compares two synth outputs and returns the review and its Markdown. The
 * prices come from the head's platform.yaml; the guardrail and isolation-proof reports
 * are optional files written by their own commands.
 */
import { formatIssue } from '../../config/issues';
import { loadPlatformFile } from '../../config/load';
import { toPlatform } from '../../config/model';
import { readCheck } from './checks';
import { renderReview, COMMENT_LIMIT } from './render';
import { buildReview, type Review } from './review';
import { InputError } from '../../kernel/errors';

export { COMMENT_LIMIT, STICKY_MARKER } from './render';
export type { Review, ReviewVerdict } from './review';

export interface PlanReviewOptions {
  readonly baseDir: string;
  readonly headDir: string;
  /** platform.yaml of the head, for GPU prices. */
  readonly platformFile: string;
  readonly guardrailsFile?: string;
  readonly proofFile?: string;
  /** Offline plan work directories (`npm run plan:offline -- --plans <dir>`) of each side. */
  readonly basePlans?: string;
  readonly headPlans?: string;
  /** @default COMMENT_LIMIT */
  readonly maxChars?: number;
  readonly progress?: (line: string) => void;
}

export interface PlanReviewResult {
  readonly review: Review;
  readonly markdown: string;
}

export function planReview(options: PlanReviewOptions): PlanReviewResult {
  const platform = loadPlatformFile(options.platformFile);
  if (!platform.value) throw new InputError(platform.issues.map(formatIssue));
  const checks = [readCheck('Guardrails', options.guardrailsFile), readCheck('Isolation proof', options.proofFile)];
  const settings = toPlatform(platform.value);
  const review = buildReview({
    baseDir: options.baseDir,
    headDir: options.headDir,
    prices: settings.gpuInstanceTypes,
    offboarded: new Set(settings.offboardedTenants),
    checks,
    basePlans: options.basePlans,
    headPlans: options.headPlans,
    progress: options.progress,
  });
  return { review, markdown: renderReview(review, { maxChars: options.maxChars ?? COMMENT_LIMIT }) };
}
