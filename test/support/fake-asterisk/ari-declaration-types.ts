// Types and builders for the fake's ARI operation table: each field mirrors an Asterisk api-docs
// field of the same name, plus `missingMessage`, the fake's own note of Asterisk's 400 wording.

export type ResourceName = 'asterisk' | 'channels' | 'bridges' | 'playbacks' | 'applications' | 'events';
export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT';

export type AllowableValues =
  | { valueType: 'LIST'; values: readonly string[] }
  | { valueType: 'RANGE'; min: number; max?: number };

export interface ParamDecl {
  name: string;
  paramType: 'path' | 'query' | 'body';
  required: boolean;
  allowMultiple: boolean;
  dataType: string;
  defaultValue?: string | number | boolean;
  allowableValues?: AllowableValues;
  /** Asterisk's 400 message when this required parameter is missing (kept out of the Swagger doc). */
  missingMessage?: string;
}

export interface OperationDecl {
  resource: ResourceName;
  path: string;
  httpMethod: HttpMethod;
  nickname: string;
  responseClass: string;
  summary: string;
  parameters: readonly ParamDecl[];
  errorResponses: readonly { code: number; reason: string }[];
  upgrade?: 'websocket';
  websocketProtocol?: string;
}

export const pathParam = (name: string): ParamDecl => ({
  name,
  paramType: 'path',
  required: true,
  allowMultiple: false,
  dataType: 'string',
});

export const q = (name: string, more: Partial<ParamDecl> = {}): ParamDecl => ({
  name,
  paramType: 'query',
  required: false,
  allowMultiple: false,
  dataType: 'string',
  ...more,
});

export const req = (name: string, missingMessage: string, more: Partial<ParamDecl> = {}): ParamDecl =>
  q(name, { required: true, missingMessage, ...more });

export const variablesBody: ParamDecl = {
  name: 'variables',
  paramType: 'body',
  required: false,
  allowMultiple: false,
  dataType: 'containers',
};

export const oneOf = (...values: string[]): AllowableValues => ({ valueType: 'LIST', values });

export type Errors = readonly (readonly [number, string])[];

export function op(
  resource: ResourceName,
  httpMethod: HttpMethod,
  path: string,
  nickname: string,
  responseClass: string,
  summary: string,
  parameters: readonly ParamDecl[],
  errors: Errors = [],
  extra: Partial<OperationDecl> = {},
): OperationDecl {
  const errorResponses = errors.map(([code, reason]) => ({ code, reason }));
  return {
    resource,
    httpMethod,
    path,
    nickname,
    responseClass,
    summary,
    parameters,
    errorResponses,
    ...extra,
  };
}
