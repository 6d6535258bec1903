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
  test('leaves the desired size to the autoscaler after creation', () => {
    const group = Object.values(build({}).resource.aws_eks_node_group)[0] as Record<string, any>;
    expect(group.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
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

  test('writes one Auto Scaling group tag per node-template entry', () => {
    const synthesized = build({ labels: { a: 'b' }, taints: [{ key: 't', value: 'v' }], extendedResources: { 'nvidia.com/gpu': 1 } });
    const keys = Object.values(synthesized.resource.aws_autoscaling_group_tag as Record<string, { tag: { key: string } }>).map((t) => t.tag.key);
    expect(keys.sort()).toEqual([
      'k8s.io/cluster-autoscaler/c',
      'k8s.io/cluster-autoscaler/enabled',
      'k8s.io/cluster-autoscaler/node-template/label/a',
      'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu',
      'k8s.io/cluster-autoscaler/node-template/taint/t',
    ]);
  });
});
