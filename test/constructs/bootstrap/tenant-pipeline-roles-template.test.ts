/**
 * The StackSet template of the tenant pipeline roles, as a pure document: what it refuses,
 * that nothing in it reads as a Terraform interpolation, and that reading it back for one
 * account gives the same documents PipelineRole gives the bootstrap roles.
 */
import { pipelineTrustPolicy, plannerPolicy } from '../../../constructs/bootstrap/pipeline-policies';
import { tenantPipelineRoles, tenantPipelineRolesTemplate } from '../../../constructs/bootstrap/tenant-pipeline-roles-template';

const PROPS = {
  deployerName: 'mlp-deployer',
  managementDeployer: 'arn:aws:iam::111111111111:role/mlp-deployer',
  platformPlanners: ['arn:aws:iam::111111111111:role/mlp-planner', 'arn:aws:iam::222222222222:role/mlp-planner'],
  stateBucket: 'mlp-state',
  plannerPolicyName: 'mlp-planner-denies',
};

describe('tenant pipeline roles template', () => {
  test('refuses a wildcard in a trusted role and a planner nobody could reach, naming both', () => {
    expect(() => tenantPipelineRolesTemplate({ ...PROPS, managementDeployer: 'arn:aws:iam::*:role/mlp-deployer', platformPlanners: [] })).toThrow(
      /'arn:aws:iam::\*:role\/mlp-deployer' contains a wildcard.*; the planner trusts no platform planner/,
    );
  });

  test('holds no ${ (Terraform would read it as an interpolation): the account and the planner name are CloudFormation references', () => {
    const text = JSON.stringify(tenantPipelineRolesTemplate(PROPS));
    expect(text).not.toContain('${');
    expect(text).toContain('{"Ref":"AWS::AccountId"}');
    expect(text).toContain('{"Ref":"PlannerRoleName"}');
  });

  test("read back for one account, its roles carry PipelineRole's trust and planner documents", () => {
    const template = JSON.parse(JSON.stringify(tenantPipelineRolesTemplate(PROPS)));
    const [deployer, planner] = tenantPipelineRoles(template, '333333333333', { PlannerRoleName: 'mlp-t-planner' }, 'test');
    expect(deployer).toMatchObject({ roleName: 'mlp-deployer', managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    expect(deployer.trust).toEqual(pipelineTrustPolicy({ chainFrom: [PROPS.managementDeployer] }));
    expect(planner.roleName).toBe('mlp-t-planner');
    expect(planner.trust).toEqual(pipelineTrustPolicy({ chainFrom: PROPS.platformPlanners }));
    expect(planner.inlinePolicies).toEqual([
      { name: 'mlp-planner-denies', document: plannerPolicy({ stateBucket: 'mlp-state', plannerRoleArns: ['arn:aws:iam::333333333333:role/mlp-t-planner'] }) },
    ]);
  });

  test('says where, and why, when it cannot read a template: a missing parameter or an intrinsic it does not evaluate', () => {
    const template = JSON.parse(JSON.stringify(tenantPipelineRolesTemplate(PROPS)));
    expect(() => tenantPipelineRoles(template, '333333333333', {}, 'organization stack-set')).toThrow(
      "organization stack-set Planner: the template refers to 'PlannerRoleName', which has no value here",
    );
    template.Resources.Deployer.Properties.RoleName = { 'Fn::Sub': 'x-${AWS::Region}' };
    expect(() => tenantPipelineRoles(template, '333333333333', { PlannerRoleName: 'p' }, 'organization stack-set')).toThrow(
      'organization stack-set Deployer: the template uses Fn::Sub, which the checks cannot evaluate',
    );
  });
});
