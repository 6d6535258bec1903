/**
 * The bootstrap stack, planned by real Terraform with the AWS provider offline: it is valid
 * and creates exactly the state bucket (with its settings and policy), and in each of the
 * two accounts the OIDC provider and both pipeline roles.
 */
import * as path from 'node:path';
import { planJsonPath, planOffline, readPlanJson, type StackPlanResult } from '../../../tools/offline-plan';
import { synthesizeBootstrap } from '../../../synth/bootstrap';
import { PLATFORM_FILE, tempDir } from '../../support/config-fixtures';
import { describeWithTerraform } from './fixtures';

describeWithTerraform('offline plan of the bootstrap stack', () => {
  let result: StackPlanResult;
  let workDir: string;

  beforeAll(async () => {
    const outdir = path.join(tempDir('mlp-bootstrap-synth-'), 'out');
    synthesizeBootstrap(PLATFORM_FILE, outdir);
    workDir = tempDir('mlp-bootstrap-plan-');
    [result] = await planOffline({ synthDir: outdir, workDir });
  }, 300_000);

  test('is valid and creates the bucket, and per account the OIDC provider and both roles', () => {
    expect({ stack: result.stack, status: result.status, errors: result.diagnostics.filter((d) => d.severity === 'error') }).toEqual({
      stack: 'bootstrap',
      status: 'valid',
      errors: [],
    });
    const changes = readPlanJson(planJsonPath(workDir, 'bootstrap')).resource_changes ?? [];
    const created = changes.filter((c) => c.change.actions.includes('create')).map((c) => c.type);
    const count = (type: string) => created.filter((t) => t === type).length;
    expect([count('aws_iam_openid_connect_provider'), count('aws_iam_role'), count('aws_s3_bucket'), count('aws_s3_bucket_policy')]).toEqual([2, 4, 1, 1]);
    const roleNames = changes
      .filter((c) => c.type === 'aws_iam_role')
      .map((c) => (c.change.after as { name: string }).name)
      .sort();
    expect(roleNames).toEqual(['mlp-deployer', 'mlp-deployer', 'mlp-planner', 'mlp-planner']);
  });
});
