// What `kustomize edit set image` does, for CI without a kustomize binary:
//   node tools/ci/set-images.mjs k8s/overlays/prod carthub-api=<registry>/carthub-api:<tag> ...
// Sets (or adds) the overlay's `images:` entry for each base image name, keeping
// the file's comments. Refuses a reference without a tag or digest, or tagged latest.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const [overlay, ...assignments] = process.argv.slice(2);
if (!overlay || assignments.length === 0) {
  console.error('usage: set-images.mjs <overlay dir> <base image name>=<image>[:tag|@digest] ...');
  process.exit(2);
}
const file = join(overlay, 'kustomization.yaml');
const document = parseDocument(readFileSync(file, 'utf8'));
if (!document.has('images')) document.set('images', document.createNode([]));
const images = document.get('images');

for (const assignment of assignments) {
  const match = /^([^=]+)=(.+?)(?:@(sha256:[a-f0-9]{64})|:([\w][\w.-]{0,127}))$/.exec(assignment);
  if (!match || match[4] === 'latest') {
    console.error(`${assignment}: expected NAME=IMAGE:TAG or NAME=IMAGE@sha256:..., never :latest`);
    process.exit(2);
  }
  const [, name, newName, digest, newTag] = match;
  const entry = digest ? { name, newName, digest } : { name, newName, newTag };
  const index = images.items.findIndex((item) => item.get('name') === name);
  if (index === -1) images.add(document.createNode(entry));
  else images.set(index, document.createNode(entry));
  console.log(`${file}: ${name} -> ${newName}${digest ? `@${digest}` : `:${newTag}`}`);
}
writeFileSync(file, document.toString());
