import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy } from '../common/policy';

/** What pulling an image takes; tenants' workload roles get these on the shared registries. */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

export interface SharedRegistriesProps {
  readonly namePrefix: string;
  readonly repositories: readonly string[];
  readonly region: string;
  readonly accountId: string;
  /** Principals of this organization may pull; adding a tenant account needs no change here. */
  readonly organizationId: string;
  readonly kmsKeyArn: string;
}

/**
 * Shared ECR repositories for base images: immutable tags, scan on push, KMS encryption,
 * and a repository policy that lets any principal of the organization pull (and nobody
 * outside it).
 */
export class SharedRegistries extends Construct {
  readonly repositoryArns: string[];
  /** Every repository of the platform, by ARN pattern known at synth time. */
  readonly repositoryArnPattern: string;

  constructor(scope: Construct, id: string, props: SharedRegistriesProps) {
    super(scope, id);
    this.repositoryArnPattern = `arn:aws:ecr:${props.region}:${props.accountId}:repository/${props.namePrefix}/*`;
    this.repositoryArns = props.repositories.map((name) => {
      const repository = new EcrRepository(this, name, {
        name: `${props.namePrefix}/${name}`,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      });
      new EcrRepositoryPolicy(this, `${name}-policy`, {
        repository: repository.name,
        policy: renderPolicy(
          policyDocument({
            Sid: 'PullFromTheOrganization',
            Effect: 'Allow',
            Principal: '*',
            Action: [...ECR_PULL_ACTIONS],
            Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
          }),
        ),
      });
      return repository.arn;
    });
  }
}
