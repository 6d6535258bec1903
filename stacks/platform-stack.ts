/**
 * What every stack of the platform shares: an S3 state backend with one state file per
 * stack (so tenant stacks plan and apply independently) and S3-native locking.
 */
import { S3Backend, TerraformStack, type TerraformBackend, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { prepareKeepingResolution, writtenOutput } from './stack-output';

export abstract class PlatformStack extends TerraformStack {
  private readonly backend: S3Backend;

  constructor(scope: Construct, name: string, platform: Platform) {
    super(scope, name);
    this.backend = new S3Backend(this, {
      bucket: platform.state.bucket,
      key: `${platform.state.keyPrefix}/${name}.tfstate`,
      region: platform.state.region,
      encrypt: true,
    });
    // cdktf 0.21's S3Backend has no typed option for S3-native locking (Terraform >= 1.10).
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }

  /**
   * The stack's one backend. cdktf looks it up by walking every construct of the stack, and
   * does so for each cross-stack reference into it: a walk of the organization stack (which
   * grows with the tenants) per reference from every tenant stack, quadratic in tenants.
   */
  override ensureBackendExists(): TerraformBackend {
    return this.backend ?? super.ensureBackendExists();
  }

  /**
   * Whether other stacks read this stack's outputs. A stack no other stack reads is written
   * as soon as it is prepared (stack-output.ts); the synth fails if another stack reads it.
   */
  get readByOtherStacks(): boolean {
    return true;
  }

  /** cdktf's preparation, keeping what it resolves for the output when the app resolves once (stack-output.ts). */
  override prepareStack(): void {
    if (!prepareKeepingResolution(this)) super.prepareStack();
  }

  /** The configuration resolved once in this synthesis, released as it is written (stack-output.ts); else cdktf's. */
  override toTerraform(): Record<string, unknown> {
    return (writtenOutput(this) as Record<string, unknown> | undefined) ?? (super.toTerraform() as Record<string, unknown>);
  }

  /**
   * Declares the output that other stacks read for `resource.attribute` up front, so this
   * stack's outputs do not depend on which consumers exist: adding the first tenant or
   * removing the last one changes no byte here. The identifier is the one cdktf derives
   * for a cross-stack reference to the same attribute.
   */
  protected exportAttribute(resource: TerraformResource, attribute: string): void {
    this.registerOutgoingCrossStackReference(`${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}`);
  }
}
