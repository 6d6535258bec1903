import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { KARPENTER_DISCOVERY_TAG } from '../../config/names';
import { policyDocument, renderPolicy } from '../common/policy';
import { ServiceRole } from '../common/service-role';
import { vpcLayout } from './cidr';

/** Interface endpoints nodes need to pull images and exchange tokens without the internet. */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'sts'] as const;

export interface SharedNetworkProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcCidr: string;
  /** At least two, at most three. */
  readonly availabilityZones: readonly string[];
  readonly clusterName: string;
  readonly flowLogRetentionDays: number;
  /** Key that encrypts the flow log group. */
  readonly logKeyArn: string;
}

/**
 * The shared VPC: private node subnets with a NAT gateway per zone, public subnets for NAT
 * and load balancers, endpoint subnets for the S3 gateway and the ECR/STS interface
 * endpoints, and flow logs of all traffic to CloudWatch.
 */
export class SharedNetwork extends Construct {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly privateSubnets: Subnet[] = [];
  /** CIDRs of the endpoint subnets, known at synth time for network policies. */
  readonly endpointSubnetCidrs: readonly string[];

  constructor(scope: Construct, id: string, props: SharedNetworkProps) {
    super(scope, id);
    const errors: string[] = [];
    if (props.availabilityZones.length < 2) errors.push(`needs at least two availability zones, got ${props.availabilityZones.length}`);
    if (props.availabilityZones.length > 3) errors.push(`holds at most three availability zones, got ${props.availabilityZones.length}`);
    if (errors.length > 0) throw new Error(`SharedNetwork: ${errors.join('; ')}`);

    const layout = vpcLayout(props.vpcCidr, props.availabilityZones.length);
    this.endpointSubnetCidrs = layout.endpoints;
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };

    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${props.namePrefix}-vpc` },
    });
    this.vpcId = vpc.id;
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: `${props.namePrefix}-igw` } });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${props.namePrefix}-public` },
    });

    const zones = props.availabilityZones.map((zone, i) =>
      this.addZone(zone, i, { vpc, igw, publicRoutes, layout, clusterTag, namePrefix: props.namePrefix, clusterName: props.clusterName }),
    );
    this.privateSubnetIds = zones.map((z) => z.privateSubnet.id);
    this.privateSubnets.push(...zones.map((z) => z.privateSubnet));
    this.addEndpoints(
      vpc,
      zones.map((z) => z.privateRouteTableId),
      zones.map((z) => z.endpointSubnetId),
      props,
    );
    this.addFlowLogs(vpc, props);
  }

  /** One zone: public subnet with a NAT gateway, private subnet routed through it, endpoint subnet. */
  private addZone(
    zone: string,
    i: number,
    context: {
      vpc: Vpc;
      igw: InternetGateway;
      publicRoutes: RouteTable;
      layout: ReturnType<typeof vpcLayout>;
      clusterTag: Record<string, string>;
      namePrefix: string;
      clusterName: string;
    },
  ): { privateSubnet: Subnet; privateRouteTableId: string; endpointSubnetId: string } {
    const { vpc, igw, publicRoutes, layout, clusterTag, namePrefix, clusterName } = context;
    const publicSubnet = new Subnet(this, `public-${zone}`, {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: layout.public[i],
      mapPublicIpOnLaunch: false,
      tags: { ...clusterTag, Name: `${namePrefix}-public-${zone}`, 'kubernetes.io/role/elb': '1' },
    });
    new RouteTableAssociation(this, `public-${zone}-routes`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
    const eip = new Eip(this, `nat-${zone}-ip`, { domain: 'vpc', tags: { Name: `${namePrefix}-nat-${zone}` } });
    const nat = new NatGateway(this, `nat-${zone}`, {
      allocationId: eip.id,
      subnetId: publicSubnet.id,
      tags: { Name: `${namePrefix}-nat-${zone}` },
      dependsOn: [igw],
    });
    const privateSubnet = new Subnet(this, `private-${zone}`, {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: layout.private[i],
      // Karpenter's node classes select the subnets for nodes by the discovery tag.
      tags: { ...clusterTag, [KARPENTER_DISCOVERY_TAG]: clusterName, Name: `${namePrefix}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1' },
    });
    const privateRoutes = new RouteTable(this, `private-${zone}-routes`, {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
      tags: { Name: `${namePrefix}-private-${zone}` },
    });
    new RouteTableAssociation(this, `private-${zone}-routes-association`, { subnetId: privateSubnet.id, routeTableId: privateRoutes.id });
    const endpointSubnet = new Subnet(this, `endpoints-${zone}`, {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: layout.endpoints[i],
      tags: { Name: `${namePrefix}-endpoints-${zone}` },
    });
    return { privateSubnet, privateRouteTableId: privateRoutes.id, endpointSubnetId: endpointSubnet.id };
  }

  /** The S3 gateway endpoint on the private routes, and the interface endpoints in the endpoint subnets. */
  private addEndpoints(vpc: Vpc, privateRouteTableIds: string[], endpointSubnetIds: string[], props: SharedNetworkProps): void {
    new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTableIds,
      tags: { Name: `${props.namePrefix}-s3` },
    });
    const endpointSecurityGroup = new SecurityGroup(this, 'endpoint-security-group', {
      name: `${props.namePrefix}-vpc-endpoints`,
      description: 'HTTPS from inside the VPC to the interface endpoints',
      vpcId: vpc.id,
      ingress: [{ description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.vpcCidr] }],
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `endpoint-${service}`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: endpointSubnetIds,
        securityGroupIds: [endpointSecurityGroup.id],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }

  /** Flow logs of all traffic into a KMS-encrypted log group, through a role that may only write there. */
  private addFlowLogs(vpc: Vpc, props: SharedNetworkProps): void {
    const flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/${props.namePrefix}/vpc-flow-logs`,
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: props.logKeyArn,
    });
    const flowLogRole = new ServiceRole(this, 'flow-log-role', {
      roleName: `${props.namePrefix}-vpc-flow-logs`,
      service: 'vpc-flow-logs.amazonaws.com',
      description: 'Writes VPC flow logs to CloudWatch Logs',
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      name: 'write-flow-logs',
      role: flowLogRole.roleName,
      policy: renderPolicy(
        policyDocument({
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: `${flowLogGroup.arn}:*`,
        }),
      ),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.roleArn,
    });
  }
}
