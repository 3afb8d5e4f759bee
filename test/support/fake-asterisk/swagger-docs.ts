// Swagger 1.1 documents served at /ari/api-docs, built from the operation and model tables.
// As Asterisk does, basePath is rewritten from the request's Host header so clients call back
// the address they used.

import { ARI_OPERATIONS, ARI_RESOURCES, type OperationDecl, type ResourceName } from './ari-declarations.ts';
import { ARI_MODELS, type ModelDecl } from './ari-models.ts';

const basePath = (host: string): string => `http://${host}/ari`;

export function resourceListing(host: string): Record<string, unknown> {
  return {
    apiVersion: '10.0.0',
    swaggerVersion: '1.1',
    basePath: basePath(host),
    apis: ARI_RESOURCES.map((r) => ({ path: `/api-docs/${r.name}.{format}`, description: r.description })),
  };
}

function operationDoc(o: OperationDecl): Record<string, unknown> {
  return {
    httpMethod: o.httpMethod,
    ...(o.upgrade ? { upgrade: o.upgrade, websocketProtocol: o.websocketProtocol } : {}),
    summary: o.summary,
    nickname: o.nickname,
    responseClass: o.responseClass,
    parameters: o.parameters.map(({ missingMessage: _hidden, ...swaggerFields }) => swaggerFields),
    errorResponses: o.errorResponses,
  };
}

function modelsDoc(models: readonly ModelDecl[]): Record<string, unknown> {
  return Object.fromEntries(models.map((m) => [m.id, m]));
}

/** The API declaration of one resource, or undefined when the fake does not declare it. */
export function apiDeclaration(resource: string, host: string): Record<string, unknown> | undefined {
  const known = ARI_RESOURCES.find((r) => r.name === resource);
  if (!known) return undefined;
  const name: ResourceName = known.name;
  const apis: { path: string; operations: Record<string, unknown>[] }[] = [];
  for (const o of ARI_OPERATIONS.filter((op) => op.resource === name)) {
    let api = apis.find((a) => a.path === o.path);
    if (!api) {
      api = { path: o.path, operations: [] };
      apis.push(api);
    }
    api.operations.push(operationDoc(o));
  }
  return {
    apiVersion: '2.0.0',
    // Asterisk's events.json says 1.2; the others 1.1.
    swaggerVersion: name === 'events' ? '1.2' : '1.1',
    basePath: basePath(host),
    resourcePath: `/api-docs/${name}.{format}`,
    apis,
    models: modelsDoc(ARI_MODELS[name]),
  };
}
