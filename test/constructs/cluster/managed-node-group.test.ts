import { Testing, TerraformStack } from 'cdktf';
import { AMI_TYPE, ManagedNodeGroup, type ManagedNodeGroupProps } from '../../../constructs/cluster/managed-node-group';

const props: ManagedNodeGroupProps = {
  clusterName: 'c',
  nodeGroupName: 'g',
  nodeRoleArn: 'arn:aws:iam::222222222222:role/n',
  subnetIds: ['subnet-1'],
  instanceTypes: ['g6.xlarge'],
  capacity: 'spot',
  minNodes: 0,
  maxNodes: 2,
  amiType: AMI_TYPE.nvidia,
};

function build(overrides: Partial<ManagedNodeGroupProps>) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new ManagedNodeGroup(stack, 'pool', { ...props, ...overrides });
  return JSON.parse(Testing.synth(stack));
}

describe('ManagedNodeGroup', () => {
  test('keeps the size Terraform sets: no autoscaler owns it, so a changed desiredNodes applies', () => {
    const synthesized = build({ minNodes: 1, maxNodes: 3, desiredNodes: 2 });
    const group = Object.values(synthesized.resource.aws_eks_node_group)[0] as Record<string, any>;
    expect(group.scaling_config).toEqual({ min_size: 1, max_size: 3, desired_size: 2 });
    expect(group.lifecycle).toBeUndefined();
    expect(synthesized.resource.aws_autoscaling_group_tag).toBeUndefined();
  });

  test('gives nodes IMDSv2 only with a hop limit of one and an encrypted root volume of the given size', () => {
    const template = Object.values(build({ diskGi: 300 }).resource.aws_launch_template)[0] as Record<string, any>;
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ volume_size: 300, volume_type: 'gp3', encrypted: 'true' });
  });

  test('fails if maxNodes is below minNodes, naming the group', () => {
    expect(() => build({ minNodes: 3, maxNodes: 2 })).toThrow('node group g: maxNodes (2) must be at least minNodes (3)');
  });

  test('fails if no instance type is given', () => {
    expect(() => build({ instanceTypes: [] })).toThrow('instanceTypes must list at least one type');
  });

  test('collects every problem in one error', () => {
    expect(() => build({ minNodes: -1, maxNodes: 0, instanceTypes: [] })).toThrow(/minNodes must be at least 0.*maxNodes must be at least 1.*instanceTypes/);
  });
});
