import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { Construct } from 'constructs';
import { GPU_NODE_LABEL } from './pod-security';

export interface NvidiaDevicePluginProps {
  /** Release tag, pinned in platform.yaml (`nvidiaDevicePlugin.version`). */
  readonly version: string;
  /** @default 'kube-system' */
  readonly namespace?: string;
}

/** Where the image comes from: NVIDIA's registry, tagged with the release. */
export const NVIDIA_DEVICE_PLUGIN_REPOSITORY = 'nvcr.io/nvidia/k8s-device-plugin';

/**
 * GPUs reach a container as volume mounts under /var/run/nvidia-container-devices instead
 * of through NVIDIA_VISIBLE_DEVICES, so a container that requested no GPU cannot name them
 * in its environment. The node's container toolkit must accept only this path
 * (accept-nvidia-visible-devices-as-volume-mounts = true,
 * accept-nvidia-visible-devices-envvar-when-unprivileged = false): see docs/cluster-boundary.md.
 */
export const DEVICE_PLUGIN_ENV = {
  FAIL_ON_INIT_ERROR: 'false',
  DEVICE_LIST_STRATEGY: 'volume-mounts',
  DEVICE_ID_STRATEGY: 'uuid',
} as const;

/**
 * The plugin itself must see every GPU of its node, which its image requests with
 * `NVIDIA_VISIBLE_DEVICES=all`. With the toolkit setting above, the toolkit honours that
 * variable only in a container it considers privileged, which it decides by CAP_SYS_ADMIN
 * (nvidia-container-toolkit, internal/config/image/privileged.go): without it the plugin
 * finds no GPU and, as FAIL_ON_INIT_ERROR is false, idles, and no node advertises
 * `nvidia.com/gpu`. The upstream chart (v0.17.1, `nvidia-device-plugin.securityContext`)
 * adds SYS_ADMIN for the volume-mounts strategy for this reason; every other capability
 * stays dropped. `allowPrivilegeEscalation` is left unset: Kubernetes treats it as true for
 * a container with CAP_SYS_ADMIN, and refuses `false` beside it.
 */
export const DEVICE_PLUGIN_SECURITY_CONTEXT = { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } };

/**
 * The NVIDIA device plugin, so GPU nodes advertise `nvidia.com/gpu`. It tolerates every
 * taint (operator Exists) rather than each tenant's, so adding a tenant does not change
 * it, and runs only on nodes labelled as GPU nodes.
 */
export class NvidiaDevicePlugin extends Construct {
  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/name': 'nvidia-device-plugin' };
    new DaemonSetV1(this, 'daemon-set', {
      metadata: { name: 'nvidia-device-plugin', namespace: props.namespace ?? 'kube-system', labels },
      spec: {
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            toleration: [{ operator: 'Exists' }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerm: [{ matchExpressions: [{ key: GPU_NODE_LABEL.key, operator: 'In', values: [GPU_NODE_LABEL.value] }] }],
                },
              },
            },
            container: [
              {
                name: 'nvidia-device-plugin',
                image: `${NVIDIA_DEVICE_PLUGIN_REPOSITORY}:${props.version}`,
                env: Object.entries(DEVICE_PLUGIN_ENV).map(([name, value]) => ({ name, value })),
                securityContext: DEVICE_PLUGIN_SECURITY_CONTEXT,
                volumeMount: [{ name: 'device-plugins', mountPath: '/var/lib/kubelet/device-plugins' }],
              },
            ],
            volume: [{ name: 'device-plugins', hostPath: { path: '/var/lib/kubelet/device-plugins' } }],
          },
        },
      },
    });
  }
}
