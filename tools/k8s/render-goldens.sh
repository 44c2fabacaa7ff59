#!/usr/bin/env bash
# Re-renders the overlays with the real `kubectl kustomize` into tools/k8s/rendered/,
# which manifests.spec.ts holds the workspace's own renderer to. Run it after
# changing anything under k8s/, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
for overlay in k8s/overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" > "tools/k8s/rendered/$name.yaml"
  echo "rendered $overlay -> tools/k8s/rendered/$name.yaml"
done
