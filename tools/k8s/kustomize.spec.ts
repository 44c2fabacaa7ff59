import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseImage, renderKustomization } from './kustomize';
import { at, K8sObject, podSpecOf } from './manifests';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'carthub-kustomize-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const BASE = {
  'base/kustomization.yaml': 'resources: [app.yaml]\nnamespace: one\n',
  'base/app.yaml': `apiVersion: v1
kind: Namespace
metadata: { name: one }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: config }
data: { LEVEL: info, KEEP: "1", DROP: gone }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      initContainers: [{ name: init, image: "web:1.0@sha256:${'a'.repeat(64)}" }]
      containers:
        - { name: web, image: web }
        - { name: side, image: "registry.example.com:5000/side:3" }
        - { name: other, image: "docker.io/library/other:2" }
`,
};

const OVERLAY = {
  'overlay/kustomization.yaml': `resources: [../base]
namespace: two
labels:
  - pairs: { tier: backend }
images:
  - { name: web, newName: registry.example.com/web, newTag: "9" }
  - { name: registry.example.com:5000/side, newName: side }
  - { name: docker.io/library/other, digest: "sha256:${'b'.repeat(64)}" }
replicas:
  - { name: web, count: 2 }
patches:
  - path: config.yaml
`,
  'overlay/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: config, namespace: one }
data: { LEVEL: debug, DROP: null, ADDED: "yes" }
`,
};

const byKind = (objects: K8sObject[], kind: string) => objects.find((object) => object.kind === kind) ?? {};

describe('renderKustomization', () => {
  it('when an overlay sets namespace, labels, images, replicas and a patch, then each lands where kustomize puts it', () => {
    write({ ...BASE, ...OVERLAY });
    const objects = renderKustomization(join(root, 'overlay'));

    expect(objects.map((object) => [object.kind, object.metadata?.namespace, object.metadata?.name])).toEqual([
      ['Namespace', undefined, 'two'],
      ['ConfigMap', 'two', 'config'],
      ['Deployment', 'two', 'web'],
    ]);
    expect(objects.every((object) => object.metadata?.labels?.['tier'] === 'backend')).toBe(true);
    expect(byKind(objects, 'ConfigMap')['data']).toEqual({ LEVEL: 'debug', KEEP: '1', ADDED: 'yes' });
    const deployment = byKind(objects, 'Deployment');
    expect(at(deployment, ['spec', 'replicas'])).toBe(2);
    const pod = podSpecOf(deployment);
    expect(pod?.initContainers?.map(({ image }) => image)).toEqual(['registry.example.com/web:9']);
    expect(pod?.containers?.map(({ image }) => image)).toEqual([
      'registry.example.com/web:9',
      'side:3',
      `docker.io/library/other@sha256:${'b'.repeat(64)}`,
    ]);
  });

  it.each([
    [
      'an unsupported field',
      { 'k/kustomization.yaml': 'resources: [../base]\nnamePrefix: x-\n' },
      /unsupported field\(s\) namePrefix/,
    ],
    [
      'a patch of a list',
      {
        'k/kustomization.yaml': 'resources: [../base]\npatches: [{ path: p.yaml }]\n',
        'k/p.yaml': 'kind: Deployment\nmetadata: { name: web }\nspec: { template: { spec: { containers: [] } } }\n',
      },
      /the list containers is not supported/,
    ],
    [
      'a patch that matches nothing',
      {
        'k/kustomization.yaml': 'resources: [../base]\npatches: [{ path: p.yaml }]\n',
        'k/p.yaml': 'kind: ConfigMap\nmetadata: { name: absent }\n',
      },
      /matches 0 objects/,
    ],
    [
      'a JSON6902 patch with a target',
      { 'k/kustomization.yaml': 'resources: [../base]\npatches: [{ patch: "[]", target: { kind: Deployment } }]\n' },
      /patches with target/,
    ],
    [
      'replicas for no workload',
      { 'k/kustomization.yaml': 'resources: [../base]\nreplicas: [{ name: absent, count: 1 }]\n' },
      /match no workload/,
    ],
    [
      'selector labels',
      { 'k/kustomization.yaml': 'resources: [../base]\nlabels: [{ pairs: { a: b }, includeSelectors: true }]\n' },
      /plain pairs/,
    ],
  ])('when a kustomization has %s, then rendering throws rather than guess', (_case, files, message) => {
    write({ ...BASE, ...files });
    expect(() => renderKustomization(join(root, 'k'))).toThrow(message);
  });

  it('when the folder has no kustomization, then it says so', () => {
    expect(() => renderKustomization(root)).toThrow(/no kustomization.yaml/);
  });
});

describe('parseImage', () => {
  it.each([
    ['web', { name: 'web' }],
    ['web:1.2', { name: 'web', tag: '1.2' }],
    ['registry.example.com:5000/team/web', { name: 'registry.example.com:5000/team/web' }],
    ['registry.example.com:5000/web:2', { name: 'registry.example.com:5000/web', tag: '2' }],
    [`web:3@sha256:${'c'.repeat(64)}`, { name: 'web', tag: '3', digest: `sha256:${'c'.repeat(64)}` }],
  ])('%s', (reference, expected) => {
    expect(parseImage(reference)).toEqual({ tag: undefined, digest: undefined, ...expected });
  });
});
