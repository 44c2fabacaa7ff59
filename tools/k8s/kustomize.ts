import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { K8sObject, KUSTOMIZATION_FILES, loadYaml, podSpecOf } from './manifests';

/*
 * The subset of Kustomize that k8s/ uses, so the overlays can be rendered and
 * checked without a kustomize binary (none is on the npm registry). Anything
 * else in a kustomization throws rather than render differently from kubectl;
 * manifests.spec.ts compares the result with what `kubectl kustomize` rendered (tools/k8s/rendered).
 */

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: ImageRule[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; [other: string]: unknown }[];
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const SUPPORTED = ['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'replicas', 'patches'];
const CLUSTER_SCOPED = [
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
];
const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** Renders the kustomization in `dir` (and the bases it names) into plain objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const kustomization = (loadYaml(file)[0] ?? {}) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.includes(key));
  if (unsupported.length > 0) throw new Error(`${file}: unsupported field(s) ${unsupported.join(', ')}`);

  const objects = (kustomization.resources ?? []).flatMap((entry) => {
    const path = resolve(dir, entry);
    return statSync(path).isDirectory() ? renderKustomization(path) : loadYaml(path);
  });
  for (const patch of kustomization.patches ?? []) applyPatch(objects, patchDocument(patch, dir, file), file);
  if (kustomization.namespace) setNamespace(objects, kustomization.namespace);
  for (const labels of kustomization.labels ?? []) {
    if (labels.includeSelectors || labels.includeTemplates) throw new Error(`${file}: labels only as plain pairs`);
    for (const object of objects)
      object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, ...labels.pairs } };
  }
  for (const rule of kustomization.images ?? []) setImages(objects, rule);
  for (const { name, count } of kustomization.replicas ?? []) {
    const targets = objects.filter((object) => SCALABLE.includes(object.kind ?? '') && object.metadata?.name === name);
    if (targets.length === 0) throw new Error(`${file}: replicas for ${name} match no workload`);
    for (const target of targets) target['spec'] = { ...(target['spec'] as object), replicas: count };
  }
  return objects;
}

function patchDocument(entry: NonNullable<Kustomization['patches']>[number], dir: string, file: string): K8sObject {
  const extra = Object.keys(entry).filter((key) => key !== 'path' && key !== 'patch');
  if (extra.length > 0) throw new Error(`${file}: patches with ${extra.join(', ')} are not supported`);
  const documents = entry.path ? loadYaml(resolve(dir, entry.path)) : [parse(entry.patch ?? '')];
  if (documents.length !== 1) throw new Error(`${file}: a patch must hold exactly one object`);
  return documents[0];
}

/** A strategic-merge patch, for patches made of mappings and scalars only (lists would need merge keys). */
function applyPatch(objects: K8sObject[], patch: K8sObject, file: string): void {
  const { name, namespace } = patch.metadata ?? {};
  const targets = objects.filter(
    (object) =>
      object.kind === patch.kind &&
      object.metadata?.name === name &&
      (namespace === undefined || object.metadata?.namespace === namespace),
  );
  if (targets.length !== 1)
    throw new Error(`${file}: a patch for ${patch.kind} ${name} matches ${targets.length} objects`);
  mergeInto(targets[0], patch, `${file}: ${patch.kind} ${name}`);
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: patching the list ${key} is not supported`);
    if (value === null) {
      delete target[key];
    } else if (isMapping(value) && isMapping(target[key])) {
      mergeInto(target[key] as Record<string, unknown>, value, where);
    } else {
      target[key] = value;
    }
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setNamespace(objects: K8sObject[], namespace: string): void {
  for (const object of objects) {
    if (object.kind === 'Namespace') object.metadata = { ...object.metadata, name: namespace };
    else if (!CLUSTER_SCOPED.includes(object.kind ?? '')) object.metadata = { ...object.metadata, namespace };
  }
}

/** Splits an image reference into its name, tag and digest (a colon before the last slash is a registry port). */
export function parseImage(reference: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = reference.split('@', 2);
  const colon = withTag.lastIndexOf(':');
  const tagged = colon > withTag.lastIndexOf('/');
  return {
    name: tagged ? withTag.slice(0, colon) : withTag,
    tag: tagged ? withTag.slice(colon + 1) : undefined,
    digest,
  };
}

function setImages(objects: K8sObject[], rule: ImageRule): void {
  for (const object of objects) {
    const pod = podSpecOf(object);
    for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      if (!container.image) continue;
      const image = parseImage(container.image);
      if (image.name !== rule.name) continue;
      const name = rule.newName ?? image.name;
      if (rule.digest) container.image = `${name}@${rule.digest}`;
      else if (rule.newTag) container.image = `${name}:${rule.newTag}`;
      else container.image = `${name}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
    }
  }
}
