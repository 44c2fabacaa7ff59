import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface HeaderObject {
  required?: boolean;
  schema?: Json;
  $ref?: string;
}

interface ResponseObject {
  $ref?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema: Json }>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Json>;
    headers?: Record<string, HeaderObject>;
    responses?: Record<string, ResponseObject>;
  };
}

/** One request and what came back, as a client saw it. */
export interface Exchange {
  readonly method: string;
  /** The path (and query) requested, as sent. */
  readonly url: string;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: string;
  /** What was sent: checked too when the API accepted it (2xx), since the document must accept it as well. */
  readonly request?: { readonly headers: { get(name: string): string | null }; readonly body?: string };
}

// The document's components, under an id Ajv can resolve: "#/components/schemas/X" is read as "components#/$defs/X".
const COMPONENTS_ID = 'carthub-openapi-components';

/**
 * Checks answers against an OpenAPI 3.1 document as a strict client would:
 * Ajv in strict mode (unknown keywords, formats or malformed patterns are
 * errors), every status documented for its operation, every body and header
 * valid against its schema, every documented required header present.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  private readonly validators = new Map<object, ValidateFunction>();
  private readonly routes: { method: string; pattern: RegExp; params: string[]; operation: Operation }[];

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $defs: resolvable(document.components?.schemas ?? {}) }, COMPONENTS_ID);
    this.routes = Object.entries(document.paths).flatMap(([template, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '([^/]+)')}$`),
        params: [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]),
        operation,
      })),
    );
  }

  /** Compiles every schema of every response, so a schema strict mode cannot read fails at once. */
  compileAll(): void {
    for (const { operation } of this.routes) {
      for (const response of Object.values(operation.responses).map((declared) => this.resolved(declared))) {
        const schema = response.content?.['application/json']?.schema;
        if (schema) this.validator(schema);
        for (const header of Object.values(response.headers ?? {})) this.validator(this.header(header).schema ?? {});
      }
      for (const parameter of operation.parameters ?? []) this.validator(parameter.schema);
      const body = operation.requestBody?.content['application/json']?.schema;
      if (body) this.validator(body);
    }
  }

  /** Everything about the answer the document does not allow; [] when it conforms. */
  problems(exchange: Exchange): string[] {
    const problems: string[] = [];
    if (!exchange.headers.get('x-request-id')) problems.push('no X-Request-Id header');
    const path = exchange.url.split('?')[0];
    const method = exchange.method.toUpperCase() === 'HEAD' ? 'GET' : exchange.method.toUpperCase();
    const route = this.routes
      .filter((candidate) => candidate.method === method && candidate.pattern.test(path))
      .sort((a, b) => a.params.length - b.params.length)[0];
    if (!route) return [...problems, ...this.outsideOperations(exchange)];
    const { operation } = route;
    if (exchange.request && exchange.status >= 200 && exchange.status < 300) {
      const pathValues = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
      const pathParams = new Map(route.params.map((name, index) => [name, pathValues[index]]));
      problems.push(...this.requestProblems(operation, exchange, exchange.request, pathParams));
    }

    const declared = operation.responses[String(exchange.status)] ?? operation.responses['default'];
    const response = declared && this.resolved(declared);
    if (!response) return [...problems, `status ${exchange.status} is not documented for ${operation.operationId}`];
    const where = `${operation.operationId} ${exchange.status}`;
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      problems.push(...this.headerProblems(where, name, this.header(declared), exchange.headers.get(name)));
    }
    const schema = response.content?.['application/json']?.schema;
    if (exchange.method.toUpperCase() === 'HEAD') return problems;
    if (!schema) {
      if (exchange.body !== '') problems.push(`${where}: a body where the document describes none`);
      return problems;
    }
    return [...problems, ...this.bodyProblems(where, schema, exchange)];
  }

  /** An accepted request the document would refuse: a client generated from it could not send it. */
  private requestProblems(
    operation: Operation,
    exchange: Exchange,
    request: NonNullable<Exchange['request']>,
    pathParams: ReadonlyMap<string, string>,
  ): string[] {
    const where = `${operation.operationId} request`;
    const query = new URLSearchParams(exchange.url.split('?')[1] ?? '');
    const problems = (operation.parameters ?? []).flatMap((parameter) => {
      const value =
        parameter.in === 'path'
          ? pathParams.get(parameter.name)
          : parameter.in === 'query'
            ? query.get(parameter.name)
            : request.headers.get(parameter.name);
      if (value === null || value === undefined) {
        return parameter.required ? [`${where}: no ${parameter.in} parameter ${parameter.name}`] : [];
      }
      return this.valueProblems(`${where}: ${parameter.in} parameter ${parameter.name}`, parameter.schema, value);
    });
    const schema = operation.requestBody?.content['application/json']?.schema;
    const sentJson = request.headers.get('content-type')?.includes('json') && !request.headers.get('content-encoding');
    if (!schema || request.body === undefined || request.body === '' || !sentJson) return problems;
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return [...problems, `${where}: the API accepted a body that is not JSON`];
    }
    const validate = this.validator(schema);
    return validate(body) ? problems : [...problems, ...describe(where, 'body', validate.errors)];
  }

  /**
   * A path, query or header value: text, read as a number where the schema says it is one, and as a
   * comma-separated list where it says array (style form, explode false: the only arrays the API reads).
   */
  private valueProblems(where: string, schema: Json, value: string): string[] {
    const numeric = ['integer', 'number'].includes(schema['type'] as string) && /^-?\d+(\.\d+)?$/.test(value);
    const validate = this.validator(schema);
    const read = schema['type'] === 'array' ? value.split(',') : numeric ? Number(value) : value;
    return validate(read) ? [] : describe(where, '', validate.errors);
  }

  /** A path or method no operation has (404, 405, the docs pages): an error answer must still be an Error. */
  private outsideOperations(exchange: Exchange): string[] {
    const isJson = exchange.headers.get('content-type')?.includes('json');
    const error = this.document.components?.schemas?.['Error'];
    if (exchange.status < 400 || !isJson || exchange.body === '') return [];
    if (!error) return ['the document has no Error schema for answers outside its operations'];
    return this.bodyProblems(`${exchange.method} ${exchange.url} ${exchange.status}`, error, exchange);
  }

  private bodyProblems(where: string, schema: Json, exchange: Exchange): string[] {
    if (!exchange.headers.get('content-type')?.includes('application/json')) {
      return [`${where}: content type ${exchange.headers.get('content-type')}, not application/json`];
    }
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    const validate = this.validator(schema);
    return validate(body) ? [] : describe(where, 'body', validate.errors);
  }

  private headerProblems(where: string, name: string, header: HeaderObject, value: string | null): string[] {
    if (value === null) return header.required ? [`${where}: no ${name} header`] : [];
    return this.valueProblems(`${where}: header ${name}`, header.schema ?? {}, value);
  }

  private resolved(declared: ResponseObject): ResponseObject {
    if (!declared.$ref) return declared;
    const shared = this.document.components?.responses?.[declared.$ref.replace('#/components/responses/', '')];
    if (!shared) throw new Error(`the document refers to a response it does not define: ${declared.$ref}`);
    return shared;
  }

  private header(declared: HeaderObject): HeaderObject {
    if (!declared.$ref) return declared;
    const name = declared.$ref.replace('#/components/headers/', '');
    const shared = this.document.components?.headers?.[name];
    if (!shared) throw new Error(`the document refers to a header it does not define: ${declared.$ref}`);
    return shared;
  }

  private validator(schema: Json): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) this.validators.set(schema, (validate = this.ajv.compile(resolvable(schema))));
    return validate;
  }
}

/** A copy of a schema whose references to the document's components point where Ajv holds them. */
function resolvable<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`)) as T;
}

function describe(where: string, part: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) =>
    `${where}: ${part}${error.instancePath} ${error.message}`.replace(/ {2,}/g, ' '),
  );
}
