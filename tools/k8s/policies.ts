import { parseImage } from './kustomize';
import { Container, K8sObject, LONG_RUNNING_KINDS, Manifest, objectName, PodSpec, podSpecOf } from './manifests';
import { schemaErrors } from './schema';

export const RULES = [
  'schema',
  'resources',
  'probes',
  'run-as-non-root',
  'read-only-root-filesystem',
  'drop-all-capabilities',
  'no-privilege-escalation',
  'pinned-image',
  'no-token-automount',
] as const;

export type Rule = (typeof RULES)[number];

export interface Finding {
  readonly rule: Rule;
  readonly source: string;
  readonly object: string;
  readonly message: string;
}

export interface CheckOptions {
  /** Images must carry a tag other than `latest`, or a digest: true for rendered overlays, not for a base. */
  readonly pinnedImages: boolean;
}

/** Every schema error and policy breach in a set of manifests that are deployed together. */
export function checkManifests(manifests: Manifest[], options: CheckOptions): Finding[] {
  const serviceAccounts = new Map(
    manifests
      .map(({ object }) => object)
      .filter((object) => object.kind === 'ServiceAccount')
      .map((object) => [object.metadata?.name, object]),
  );
  return manifests.flatMap(({ source, object }) => {
    const found = (rule: Rule, message: string): Finding => ({ rule, source, object: objectName(object), message });
    const schema = schemaErrors(object).map((message) => found('schema', message));
    if (schema.length > 0) return schema;
    const findings: Finding[] = [];
    if (object.kind === 'ServiceAccount' && object['automountServiceAccountToken'] !== false) {
      findings.push(found('no-token-automount', 'set automountServiceAccountToken: false'));
    }
    const pod = podSpecOf(object);
    if (pod) {
      for (const [rule, message] of podFindings(object, pod, serviceAccounts, options))
        findings.push(found(rule, message));
    }
    return findings;
  });
}

function podFindings(
  object: K8sObject,
  pod: PodSpec,
  serviceAccounts: Map<string | undefined, K8sObject>,
  { pinnedImages }: CheckOptions,
): [Rule, string][] {
  const findings: [Rule, string][] = [];
  const account = serviceAccounts.get(pod.serviceAccountName ?? 'default');
  const automount = pod.automountServiceAccountToken ?? account?.['automountServiceAccountToken'] ?? true;
  if (automount !== false) findings.push(['no-token-automount', 'the pod would mount a ServiceAccount token']);

  const longRunning = LONG_RUNNING_KINDS.includes(object.kind ?? '');
  for (const container of pod.containers ?? []) {
    findings.push(...containerFindings(container, pod, pinnedImages));
    if (longRunning && !(container.livenessProbe && container.readinessProbe)) {
      findings.push(['probes', `container ${container.name} needs a livenessProbe and a readinessProbe`]);
    }
  }
  for (const container of pod.initContainers ?? []) findings.push(...containerFindings(container, pod, pinnedImages));
  return findings;
}

function containerFindings(container: Container, pod: PodSpec, pinnedImages: boolean): [Rule, string][] {
  const findings: [Rule, string][] = [];
  const name = `container ${container.name}`;
  const { requests = {}, limits = {} } = container.resources ?? {};
  if (!(requests['cpu'] && requests['memory'] && limits['cpu'] && limits['memory'])) {
    findings.push(['resources', `${name} needs cpu and memory requests and limits`]);
  }
  const context = { ...pod.securityContext, ...container.securityContext };
  if (context.runAsNonRoot !== true || context.runAsUser === 0) {
    findings.push(['run-as-non-root', `${name} must run with runAsNonRoot: true`]);
  }
  if (container.securityContext?.readOnlyRootFilesystem !== true) {
    findings.push(['read-only-root-filesystem', `${name} needs readOnlyRootFilesystem: true`]);
  }
  if (!container.securityContext?.capabilities?.drop?.includes('ALL')) {
    findings.push(['drop-all-capabilities', `${name} must drop ALL capabilities`]);
  }
  if (container.securityContext?.allowPrivilegeEscalation !== false) {
    findings.push(['no-privilege-escalation', `${name} needs allowPrivilegeEscalation: false`]);
  }
  if (pinnedImages) {
    const image = parseImage(container.image ?? '');
    if (!image.digest && (!image.tag || image.tag === 'latest')) {
      findings.push(['pinned-image', `${name} image ${container.image} needs a version tag or a digest`]);
    }
  }
  return findings;
}
