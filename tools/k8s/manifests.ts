import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as parsed from YAML: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** An object and where it came from, for messages. */
export interface Manifest {
  readonly source: string;
  readonly object: K8sObject;
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Every document of a YAML file (empty ones skipped); a syntax error throws with the file's name. */
export function loadYaml(file: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
    const value = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: a document is not a mapping`);
    objects.push(value);
  }
  return objects;
}

/**
 * Every manifest under `dir` (recursively). Kustomization files are not
 * manifests, nor are the partial objects they name as patches: those are
 * checked in the rendered overlays.
 */
export function loadManifestTree(dir: string, root = dir): Manifest[] {
  const names = readdirSync(dir).sort();
  const kustomization = names.find((name) => KUSTOMIZATION_FILES.includes(name));
  const patches = kustomization
    ? ((loadYaml(join(dir, kustomization))[0]?.['patches'] ?? []) as { path?: string }[]).map(({ path }) => path)
    : [];
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return loadManifestTree(path, root);
    if (!/\.ya?ml$/.test(name) || name === kustomization || patches.includes(name)) return [];
    return loadYaml(path).map((object) => ({ source: relative(root, path), object }));
  });
}

export function objectName(object: K8sObject): string {
  const namespace = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind ?? '?'} ${namespace}${object.metadata?.name ?? '?'}`;
}

export interface Container {
  name?: string;
  image?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  securityContext?: SecurityContext;
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
}

/** Kinds that keep pods running, and so need probes. */
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** The pod spec a workload object carries, wherever its kind keeps it; undefined for other objects. */
export function podSpecOf(object: K8sObject): PodSpec | undefined {
  if (object.kind === 'Pod') return at(object, ['spec']);
  if (object.kind === 'CronJob') return at(object, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
  if ([...LONG_RUNNING_KINDS, 'Job'].includes(object.kind ?? '')) return at(object, ['spec', 'template', 'spec']);
  return undefined;
}

/** The value at a path of mapping keys, or undefined where the path ends early. */
export function at<T>(value: unknown, path: string[]): T | undefined {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}
