import type { FakeRealtimeServer } from './fake-realtime-server.ts';

export interface RealtimeStats {
  sessions: SessionStats[];
}

export interface SessionStats {
  index: number;
  model: string;
  connectedAt: number;
  closedAt: number | null;
  /** Each append: arrival time, the first 4 bytes as hex (to match against RTP payloads), length. */
  appends: { at: number; head: string; length: number }[];
  responses: {
    id: string;
    source: string;
    status: string;
    createdAt: number;
    firstDeltaAt: number | null;
    doneAt: number | null;
    deltas: { at: number; byteOffset: number; length: number }[];
  }[];
  vadEvents: { at: number; type: string; audioMs: number; itemId: string }[];
  truncations: { at: number; itemId: string; audioEndMs: number; accepted: boolean }[];
}

// A JSON snapshot with wall-clock times, so a benchmark in another process can correlate events.
export function realtimeStats(server: FakeRealtimeServer): RealtimeStats {
  return {
    sessions: server.sessions.map((session) => ({
      index: session.index,
      model: session.model,
      connectedAt: session.connectedAt,
      closedAt: session.closeInfo?.at ?? null,
      appends: session.appends.map((a) => ({
        at: a.at,
        head: a.bytes.subarray(0, 4).toString('hex'),
        length: a.bytes.length,
      })),
      responses: session.responses.map((r) => ({
        id: r.id,
        source: r.source,
        status: r.status,
        createdAt: r.createdAt,
        firstDeltaAt: r.firstDeltaAt ?? null,
        doneAt: r.doneAt ?? null,
        deltas: r.deltas.map((d) => ({ at: d.at, byteOffset: d.byteOffset, length: d.length })),
      })),
      vadEvents: session.vadEvents.map((v) => ({
        at: v.at,
        type: v.type,
        audioMs: v.audioMs,
        itemId: v.itemId,
      })),
      truncations: session.truncations.map((t) => ({
        at: t.at,
        itemId: t.itemId,
        audioEndMs: t.audioEndMs,
        accepted: t.accepted,
      })),
    })),
  };
}
