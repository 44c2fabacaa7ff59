import Ajv, { ValidateFunction } from 'ajv';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { K8sObject } from './manifests';
import { PROMETHEUS_RULE_SCHEMA } from './prometheus-rule-schema';

interface ModelClass {
  new (data: K8sObject): { validate(): void };
  readonly apiVersion?: string;
  readonly kind?: string;
}

/** The API groups this workspace may use; an object of any other apiVersion is an error, not a skip. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'autoscaling/v2': autoscalingV2,
  'policy/v1': policyV1,
  'networking.k8s.io/v1': networkingV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
};

/** Custom resources this workspace ships (under k8s/monitoring), by apiVersion and kind. */
const CUSTOM_RESOURCES: Record<string, Record<string, ValidateFunction>> = {
  'monitoring.coreos.com/v1': { PrometheusRule: new Ajv({ allErrors: true }).compile(PROMETHEUS_RULE_SCHEMA) },
};

/**
 * Validates an object against the Kubernetes OpenAPI schema, offline. The
 * schema checks types, enums and required fields; like the API server without
 * strict field validation, it lets unknown fields through.
 */
export function schemaErrors(object: K8sObject): string[] {
  if (!object.apiVersion || !object.kind) return ['apiVersion and kind are required'];
  if (!object.metadata?.name) return ['metadata.name is required'];
  const custom = CUSTOM_RESOURCES[object.apiVersion]?.[object.kind];
  if (custom) {
    return custom(object)
      ? []
      : (custom.errors ?? []).map(({ instancePath, message }) => `${instancePath || '/'} ${message}`);
  }
  const Model = MODELS[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  // Only top-level kinds carry a static kind; DeploymentSpec and the like are not objects.
  if (Model?.kind !== object.kind) return [`no schema for ${object.kind} in ${object.apiVersion}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    return details?.map(({ instancePath, message }) => `${instancePath || '/'} ${message}`) ?? [String(error)];
  }
}
