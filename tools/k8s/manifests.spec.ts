import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { renderKustomization } from './kustomize';
import { at, K8sObject, loadManifestTree, loadYaml, Manifest, podSpecOf } from './manifests';
import { checkManifests } from './policies';
import { Metrics } from '@carthub/http';

const K8S = join(__dirname, '../../k8s');
const OVERLAYS = readdirSync(join(K8S, 'overlays')).sort();

const rendered = (overlay: string): Manifest[] =>
  renderKustomization(join(K8S, 'overlays', overlay)).map((object) => ({ source: `overlays/${overlay}`, object }));
function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}
const POD = ['spec', 'template', 'spec'];
const API_CONTAINER = [...POD, 'containers', '0'];
const key = (object: K8sObject) =>
  `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

describe('k8s/ manifests', () => {
  it('has a dev and a prod overlay', () => {
    expect(OVERLAYS).toEqual(['dev', 'prod']);
  });

  it('when every file in k8s/ is checked, then each object matches its schema and the policies', () => {
    const manifests = loadManifestTree(K8S);
    expect(manifests.length).toBeGreaterThan(10);
    expect(checkManifests(manifests, { pinnedImages: false })).toEqual([]);
  });

  it('the base applies every manifest in its folder except the example Secret', () => {
    const [kustomization] = loadYaml(join(K8S, 'base/kustomization.yaml'));
    const files = readdirSync(join(K8S, 'base')).filter((file) => file !== 'kustomization.yaml');
    expect([...(kustomization['resources'] as string[])].sort()).toEqual(
      files.filter((file) => file !== 'secret.example.yaml').sort(),
    );
  });

  it('alerts when outbox events wait 5 minutes (a gauge the API serves) and when one is parked (the relay), each with a runbook', () => {
    const [rule] = loadYaml(join(K8S, 'monitoring/prometheus-rules.yaml'));
    const rules = at<{ alert: string; expr: string; annotations: Record<string, string> }[]>(rule, [
      'spec',
      'groups',
      '0',
      'rules',
    ])!;
    expect(rules.map(({ alert }) => alert)).toEqual(['CarthubOutboxEventsNotPublished', 'CarthubOutboxEventParked']);
    const apiMetrics = new Metrics(undefined, async () => 0).registry;
    const [waiting, parked] = rules.map(({ expr }) => expr);
    expect(waiting).toBe('max by (namespace) (carthub_outbox_oldest_pending_age_seconds) > 300');
    expect(apiMetrics.getSingleMetric('carthub_outbox_oldest_pending_age_seconds')).toBeDefined();
    // The relay's gauge (apps/relay/src/metrics.ts; its tests read it by this name).
    expect(parked).toBe('max by (namespace) (carthub_outbox_parked) > 0');
    for (const { annotations } of rules) expect(annotations['description']).toContain('docs/DEPLOY.md');
  });

  describe.each(OVERLAYS)('the %s overlay, rendered', (overlay) => {
    const manifests = rendered(overlay);
    const objects = manifests.map(({ object }) => object);

    it('matches the schemas and the policies, with every image pinned', () => {
      expect(checkManifests(manifests, { pinnedImages: true })).toEqual([]);
    });

    it('is what kubectl kustomize renders (tools/k8s/rendered, made by render-goldens.sh)', () => {
      const byKey = (list: K8sObject[]) => Object.fromEntries(list.map((object) => [key(object), object]));
      const golden = parseAllDocuments(readFileSync(join(__dirname, 'rendered', `${overlay}.yaml`), 'utf8'));
      expect(byKey(objects)).toEqual(byKey(golden.map((document) => document.toJS() as K8sObject)));
    });

    it('puts everything in the carthub namespace', () => {
      const namespaces = objects.map(({ kind, metadata }) =>
        kind === 'Namespace' ? metadata?.name : metadata?.namespace,
      );
      expect(new Set(namespaces)).toEqual(new Set(['carthub']));
    });

    it('refers only to ConfigMaps, ServiceAccounts and workloads it has, and to the documented Secret', () => {
      const names = (kind: string) =>
        objects.filter((object) => object.kind === kind).map(({ metadata }) => metadata?.name);
      for (const pod of objects.map(podSpecOf).filter((spec) => spec !== undefined)) {
        expect(names('ServiceAccount')).toContain(pod.serviceAccountName);
        for (const container of pod.containers ?? []) {
          const sources = at<{ configMapRef?: { name: string }; secretRef?: { name: string } }[]>(container, [
            'envFrom',
          ]);
          expect(sources?.map((source) => source.configMapRef?.name ?? source.secretRef?.name)).toEqual([
            ...names('ConfigMap'),
            'carthub-db',
          ]);
        }
      }
      const [example, payments] = loadYaml(join(K8S, 'base/secret.example.yaml'));
      expect(example.metadata?.name).toBe('carthub-db');
      expect(payments.metadata?.name).toBe('carthub-payments');
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'carthub-api');
      const target = at<{ kind: string; name: string }>(hpa, ['spec', 'scaleTargetRef']);
      expect(find(objects, target?.kind ?? '', target?.name ?? '')).toBeDefined();
    });

    it('gives PAYMENT_WEBHOOK_SECRET to the API alone, from the optional carthub-payments Secret', () => {
      const keyRefs = objects
        .map(podSpecOf)
        .filter((spec) => spec !== undefined)
        .flatMap((pod) => pod.containers ?? [])
        .flatMap((container) => at<{ name: string; valueFrom?: object }[]>(container, ['env']) ?? []);
      expect(keyRefs).toEqual([
        {
          name: 'PAYMENT_WEBHOOK_SECRET',
          valueFrom: { secretKeyRef: { name: 'carthub-payments', key: 'PAYMENT_WEBHOOK_SECRET', optional: true } },
        },
      ]);
      const api = find(objects, 'Deployment', 'carthub-api');
      expect(at(api, [...API_CONTAINER, 'env'])).toEqual(keyRefs);
    });

    it('gives the API time to drain: grace period >= preStop sleep + SHUTDOWN_GRACE_MS + 5 s to close', () => {
      const api = find(objects, 'Deployment', 'carthub-api');
      const shutdownGraceMs = at(find(objects, 'ConfigMap', 'carthub-config'), ['data', 'SHUTDOWN_GRACE_MS']);
      const [sleep, seconds] = at<string[]>(api, [...API_CONTAINER, 'lifecycle', 'preStop', 'exec', 'command']) ?? [];
      expect(sleep).toBe('sleep');
      const needed = Number(seconds) + Number(shutdownGraceMs) / 1000 + 5;
      expect(at(api, [...POD, 'terminationGracePeriodSeconds'])).toBeGreaterThanOrEqual(needed);
    });

    it("scales the API within the seed's 2–15 replicas, starting at or above the minimum", () => {
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'carthub-api');
      expect([at(hpa, ['spec', 'minReplicas']), at(hpa, ['spec', 'maxReplicas'])]).toEqual([2, 15]);
      expect(at(find(objects, 'Deployment', 'carthub-api'), ['spec', 'replicas'])).toBeGreaterThanOrEqual(2);
    });

    it('scales on CPU 70 %, memory 80 % and requests per second per pod, a metric the adapter rule makes from the API histogram', () => {
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'carthub-api');
      const metrics = at<{ type: string; resource?: { name: string }; pods?: { metric: { name: string } } }[]>(hpa, [
        'spec',
        'metrics',
      ]);
      expect(metrics!.map((m) => m.resource?.name ?? m.pods?.metric.name)).toEqual([
        'cpu',
        'memory',
        'carthub_http_requests_per_second',
      ]);
      const [adapter] = loadYaml(join(K8S, 'monitoring/prometheus-adapter-rules.yaml'));
      const [rules] = parseAllDocuments(at<string>(adapter, ['data', 'config.yaml'])!).map((d) => d.toJS());
      const [rule] = rules.rules as { seriesQuery: string; name: { as: string } }[];
      expect(rule.name.as).toBe('carthub_http_requests_per_second');
      const histogram = new Metrics().requestDuration as unknown as { name: string };
      expect(rule.seriesQuery).toContain(`${histogram.name}_count`);
    });

    it('runs two relays, probed on RELAY_PORT at /health, reaching only DNS, PostgreSQL and NATS', () => {
      const relay = find(objects, 'Deployment', 'carthub-relay');
      const container = [...POD, 'containers', '0'];
      const relayPort = at(find(objects, 'ConfigMap', 'carthub-config'), ['data', 'RELAY_PORT']);
      expect(at(relay, ['spec', 'replicas'])).toBe(2);
      expect(at(relay, [...container, 'ports', '0', 'containerPort'])).toBe(Number(relayPort));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        expect(at(relay, [...container, probe, 'httpGet'])).toEqual({ path: '/health', port: 'status' });
      }
      const policy = find(objects, 'NetworkPolicy', 'carthub-relay');
      const ports = (rules: { ports: { port: number }[] }[] | undefined) =>
        (rules ?? []).flatMap((rule) => rule.ports.map(({ port }) => port));
      expect(ports(at(policy, ['spec', 'egress'])).sort()).toEqual([4222, 53, 53, 5432].sort());
      expect(ports(at(policy, ['spec', 'ingress']))).toEqual([Number(relayPort)]);
      expect(at(find(objects, 'ConfigMap', 'carthub-config'), ['data', 'NATS_URL'])).toMatch(/^nats:\/\//);
    });

    it('probes the API where the app answers', () => {
      const api = find(objects, 'Deployment', 'carthub-api');
      const path = (probe: string) => at(api, [...API_CONTAINER, probe, 'httpGet', 'path']);
      expect([path('startupProbe'), path('livenessProbe'), path('readinessProbe')]).toEqual([
        '/health/live',
        '/health/live',
        '/health/ready',
      ]);
    });
  });

  it('the overlays differ in image tags and replica counts', () => {
    const facts = (overlay: string) => {
      const objects = rendered(overlay).map(({ object }) => object);
      const api = find(objects, 'Deployment', 'carthub-api');
      return { image: at(api, [...API_CONTAINER, 'image']), replicas: at(api, ['spec', 'replicas']) };
    };
    const [dev, prod] = OVERLAYS.map(facts);
    expect(dev.image).not.toEqual(prod.image);
    expect(dev.replicas).not.toEqual(prod.replicas);
  });
});
