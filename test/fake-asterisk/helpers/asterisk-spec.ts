// Asterisk 22's own ARI api-docs, when this checkout sits next to the shared reference copy
// (/work/shared/asterisk-ari/api-docs). CI clones may not have it: tests using it are skipped.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const SPEC_DIR = path.resolve(repoRoot, '../shared/asterisk-ari/api-docs');
export const specAvailable = existsSync(path.join(SPEC_DIR, 'resources.json'));

export interface SpecParam {
  name: string;
  paramType: string;
  required?: boolean;
  allowMultiple?: boolean;
  dataType: string;
  defaultValue?: unknown;
  allowableValues?: unknown;
}

export interface SpecOperation {
  httpMethod: string;
  nickname: string;
  responseClass: string;
  parameters?: SpecParam[];
  upgrade?: string;
  websocketProtocol?: string;
}

export interface SpecModel {
  id: string;
  properties: Record<string, { type: string; required?: boolean; allowableValues?: unknown }>;
  subTypes?: string[];
}

export interface SpecDeclaration {
  apis: { path: string; operations: SpecOperation[] }[];
  models: Record<string, SpecModel>;
}

export function readDeclaration(resource: string): SpecDeclaration {
  return JSON.parse(readFileSync(path.join(SPEC_DIR, `${resource}.json`), 'utf8')) as SpecDeclaration;
}

/** Every model of every declaration, by id. */
export function allSpecModels(): Map<string, SpecModel> {
  const listing = JSON.parse(readFileSync(path.join(SPEC_DIR, 'resources.json'), 'utf8')) as {
    apis: { path: string }[];
  };
  const models = new Map<string, SpecModel>();
  for (const api of listing.apis) {
    const name = api.path.replace('/api-docs/', '').replace('.{format}', '');
    for (const [id, model] of Object.entries(readDeclaration(name).models)) models.set(id, model);
  }
  return models;
}
