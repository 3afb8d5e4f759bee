// Messages between the soak driver and the daemon child (soak-daemon-child.ts).

export type ForwardedLine = Record<string, unknown> & { level: string; msg: string };

export interface ChildStats {
  leasedPorts: number;
  activeCalls: number;
  activeTransfers: number;
  events: { received: number; malformed: number; unknownTypes: number; reconnects: number } | null;
  /** process.getActiveResourcesInfo(), counted by kind. */
  resources: Record<string, number>;
  memory: NodeJS.MemoryUsage;
  /** Lines written so far, by `<level> <msg>`. */
  lineCounts: Record<string, number>;
}

export type ChildRequest = { id: number; cmd: 'stats'; gc?: boolean } | { id: number; cmd: 'stop' };

export type ChildMessage =
  | { type: 'ready'; pid: number }
  | { type: 'line'; line: ForwardedLine }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'crash'; error: string };
