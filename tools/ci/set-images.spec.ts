import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKustomization } from '../k8s/kustomize';
import { podSpecOf } from '../k8s/manifests';

const K8S = join(__dirname, '../../k8s');
const SCRIPT = join(__dirname, 'set-images.mjs');
const DIGEST = `sha256:${'d'.repeat(64)}`;

describe('set-images.mjs (CI: point an overlay at the images it built)', () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), 'carthub-k8s-'));
    cpSync(K8S, copy, { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const kustomization = () => readFileSync(join(copy, 'overlays/prod/kustomization.yaml'), 'utf8');
  const setImages = (assignments: string[]) =>
    spawnSync(process.execPath, [SCRIPT, join(copy, 'overlays/prod'), ...assignments], { encoding: 'utf8' });
  const imagesOf = (kind: string) =>
    renderKustomization(join(copy, 'overlays/prod'))
      .filter((object) => object.kind === kind)
      .map((object) => podSpecOf(object)?.containers?.[0].image);

  it('when given a tag and a digest, then the rendered workloads use exactly those images, and the comments stay', () => {
    const result = setImages([
      'carthub-api=registry.example.com/carthub-api:abc1234',
      'carthub-relay=registry.example.com/carthub-relay:abc1234',
      `carthub-migrator=registry.example.com/carthub-migrator@${DIGEST}`,
    ]);

    expect(result.status).toBe(0);
    expect(imagesOf('Deployment')).toEqual([
      'registry.example.com/carthub-api:abc1234',
      'registry.example.com/carthub-relay:abc1234',
    ]);
    expect([...imagesOf('Job'), ...imagesOf('CronJob')]).toEqual([
      `registry.example.com/carthub-migrator@${DIGEST}`,
      `registry.example.com/carthub-migrator@${DIGEST}`,
    ]);
    expect(kustomization()).toContain('# CI replaces the tags');
  });

  it.each([
    ['a latest tag', ['carthub-api=registry.example.com/carthub-api:latest']],
    ['no tag', ['carthub-api=registry.example.com/carthub-api']],
    ['nothing to set', []],
  ])('when given %s, then it refuses and changes nothing', (_case, assignments) => {
    const before = kustomization();
    expect(setImages(assignments).status).toBe(2);
    expect(kustomization()).toBe(before);
  });
});
