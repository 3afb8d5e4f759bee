// The ARI operations this fake implements, declared once. The Swagger documents it serves, its
// router and its parameter checks are all built from this table; a test compares it with
// Asterisk 22's own api-docs, so names, paths and parameters must match the specification.

import type { OperationDecl, ResourceName } from './ari-declaration-types.ts';
import { ASTERISK_OPERATIONS, BRIDGE_AND_INFO_OPERATIONS } from './bridge-and-info-operations.ts';
import { CHANNEL_OPERATIONS } from './channel-operations.ts';

export type {
  AllowableValues,
  HttpMethod,
  OperationDecl,
  ParamDecl,
  ResourceName,
} from './ari-declaration-types.ts';

export const ARI_OPERATIONS: readonly OperationDecl[] = [
  ...ASTERISK_OPERATIONS,
  ...CHANNEL_OPERATIONS,
  ...BRIDGE_AND_INFO_OPERATIONS,
];

/** Resources in the order Asterisk lists them in resources.json. */
export const ARI_RESOURCES: readonly { name: ResourceName; description: string }[] = [
  { name: 'asterisk', description: 'Asterisk resources' },
  { name: 'channels', description: 'Channel resources' },
  { name: 'bridges', description: 'Bridge resources' },
  { name: 'playbacks', description: 'Playback control resources' },
  { name: 'events', description: 'WebSocket resource' },
  { name: 'applications', description: 'Stasis application resources' },
];

export const operationKey = (o: Pick<OperationDecl, 'resource' | 'nickname'>): string =>
  `${o.resource}.${o.nickname}`;
