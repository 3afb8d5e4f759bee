// Ids of everything callbridge creates in Asterisk are derived from the call id, so any event
// or any leftover found later can be traced to its call: <app>-<kind>-<callId>.
import { randomBytes } from 'node:crypto';

/** Media bridge, externalMedia, snoop, playback, transfer target channel, transfer bridge. */
export type OwnedKind = 'br' | 'em' | 'snoop' | 'pb' | 'xfer' | 'xbr';

export function newCallId(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export function ownedId(app: string, kind: OwnedKind, callId: string, suffix?: number): string {
  return suffix === undefined ? `${app}-${kind}-${callId}` : `${app}-${kind}-${callId}-${suffix}`;
}

/** The call an id we created belongs to, or null for ids we did not create. */
export function parseOwnedId(app: string, id: string): { kind: OwnedKind; callId: string } | null {
  const prefix = `${app}-`;
  if (!id.startsWith(prefix)) return null;
  const match = /^(br|em|snoop|pb|xfer|xbr)-([a-z0-9]+)(?:-\d+)?$/.exec(id.slice(prefix.length));
  if (!match) return null;
  return { kind: match[1] as OwnedKind, callId: match[2]! };
}
