/**
 * The part of the Prometheus Operator's PrometheusRule CRD
 * (monitoring.coreos.com/v1) that k8s/monitoring uses, as JSON Schema:
 * kubernetes-models has no CRDs. Like the other schemas it lets unknown fields
 * through; a rule is an alert or a recording rule, never both.
 */
const DURATION = '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

export const PROMETHEUS_RULE_SCHEMA = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['groups'],
      properties: {
        groups: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'rules'],
            properties: {
              name: { type: 'string', minLength: 1 },
              interval: { type: 'string', pattern: DURATION },
              rules: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['expr'],
                  oneOf: [{ required: ['alert'] }, { required: ['record'] }],
                  properties: {
                    alert: { type: 'string', minLength: 1 },
                    record: { type: 'string', minLength: 1 },
                    expr: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer' }] },
                    for: { type: 'string', pattern: DURATION },
                    keep_firing_for: { type: 'string', pattern: DURATION },
                    labels: STRING_MAP,
                    annotations: STRING_MAP,
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
