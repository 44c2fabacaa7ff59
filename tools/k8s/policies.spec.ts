import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml } from './manifests';
import { checkManifests, RULES } from './policies';

const FIXTURES = join(__dirname, 'fixtures');
const broken = readdirSync(FIXTURES).filter((file) => file.endsWith('.yaml') && file !== 'good.yaml');
/** `resources.yaml` and `pinned-image.latest.yaml` break the rules `resources` and `pinned-image`. */
const ruleOf = (file: string) => file.split('.')[0];

function check(file: string, pinnedImages = true) {
  const manifests = loadYaml(join(FIXTURES, file)).map((object) => ({ source: file, object }));
  return checkManifests(manifests, { pinnedImages });
}

describe('manifest checks on fixtures', () => {
  it('when every rule is kept, then the check finds nothing', () => {
    expect(check('good.yaml')).toEqual([]);
  });

  it.each(broken)('when %s breaks its rule, then the check fails on that rule alone', (file) => {
    const findings = check(file);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map(({ rule }) => rule))).toEqual(new Set([ruleOf(file)]));
  });

  it('every rule has a fixture that breaks it', () => {
    expect(new Set(broken.map(ruleOf))).toEqual(new Set(RULES));
  });

  it('when a finding is reported, then it names the file, the object and the container', () => {
    expect(check('probes.yaml')).toEqual([
      {
        rule: 'probes',
        source: 'probes.yaml',
        object: 'Deployment probes',
        message: 'container web needs a livenessProbe and a readinessProbe',
      },
    ]);
    expect(check('schema.type.yaml')).toEqual([expect.objectContaining({ message: '/spec/replicas must be integer' })]);
  });

  it('when a base is checked, then untagged images are allowed: only rendered overlays must pin them', () => {
    expect(check('pinned-image.untagged.yaml', false)).toEqual([]);
  });
});
