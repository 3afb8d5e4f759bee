import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtpPacer } from '../../../src/media/rtp/rtp-pacer.ts';
import {
  createRtpPacketView,
  parseRtpPacket,
  type RtpPacketView,
} from '../../../src/media/rtp/rtp-packet.ts';

interface Sent {
  at: number;
  header: RtpPacketView;
  payload: Buffer;
}

describe('RtpPacer', () => {
  let sent: Sent[];
  let pacer: RtpPacer;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    sent = [];
    pacer = new RtpPacer({
      law: 'ulaw',
      ssrc: 42,
      initialSequence: 65534,
      initialTimestamp: 1000,
      send: (packet) => {
        const header = createRtpPacketView();
        expect(parseRtpPacket(packet, header)).toBeNull();
        sent.push({
          at: performance.now(),
          header,
          payload: Buffer.from(packet.subarray(header.payloadOffset)),
        });
      },
    });
  });
  afterEach(() => {
    pacer.stop();
    vi.useRealTimers();
  });

  it('sends the first frame of a talk spurt at once, with the marker bit', () => {
    pacer.enqueue('item1', Buffer.alloc(800, 1));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.header.marker).toBe(true);
    expect(sent[0]!.payload).toHaveLength(160);
  });

  it('paces the rest on 20 ms deadlines with contiguous sequence numbers and timestamps', () => {
    const start = performance.now();
    pacer.enqueue('item1', Buffer.alloc(800, 1));
    vi.advanceTimersByTime(100);
    expect(sent.map((s) => s.at - start)).toEqual([0, 20, 40, 60, 80]);
    expect(sent.map((s) => s.header.sequence)).toEqual([65534, 65535, 0, 1, 2]);
    expect(sent.map((s) => s.header.timestamp)).toEqual([1000, 1160, 1320, 1480, 1640]);
    expect(sent.slice(1).every((s) => !s.header.marker)).toBe(true);
    expect(pacer.talking).toBe(false);
  });

  it('never accumulates a response: audio arriving mid-spurt plays on the same clock', () => {
    pacer.enqueue('item1', Buffer.alloc(200, 1));
    vi.advanceTimersByTime(10);
    pacer.enqueue('item1', Buffer.alloc(120, 2));
    vi.advanceTimersByTime(30);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload.subarray(0, 40).every((b) => b === 1)).toBe(true);
    expect(sent[1]!.payload.subarray(40).every((b) => b === 2)).toBe(true);
  });

  it('pads a short final frame with silence and counts audio exactly per item', () => {
    pacer.enqueue('item1', Buffer.alloc(200, 1));
    vi.advanceTimersByTime(40);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload.subarray(40).every((b) => b === 0xff)).toBe(true);
    expect(pacer.playedMs('item1')).toBe(25);
  });

  it('marks the next talk spurt and advances the timestamp across the silence', () => {
    pacer.enqueue('item1', Buffer.alloc(160, 1));
    vi.advanceTimersByTime(1000);
    pacer.enqueue('item2', Buffer.alloc(160, 1));
    expect(sent[1]!.header.marker).toBe(true);
    expect(sent[1]!.header.sequence).toBe(65535);
    expect(sent[1]!.header.timestamp).toBe(1000 + 50 * 160);
  });

  it('on interrupt drops queued audio at once and reports what was heard', () => {
    pacer.enqueue('item1', Buffer.alloc(1600, 1));
    vi.advanceTimersByTime(40);
    const cut = pacer.interrupt();
    expect(cut).toEqual({ itemId: 'item1', playedMs: 60, droppedBytes: 1600 - 480 });
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends nothing after stop', () => {
    pacer.stop();
    pacer.enqueue('item1', Buffer.alloc(320, 1));
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(0);
  });
});

describe('RtpPacer before the answer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds audio until released, then plays it from the first frame at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const sent: number[] = [];
    const pacer = new RtpPacer({ law: 'ulaw', held: true, send: () => sent.push(performance.now()) });
    pacer.enqueue('greeting', Buffer.alloc(480, 1));
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([]);
    expect(pacer.queuedMs).toBe(60);
    const releasedAt = performance.now();
    pacer.release();
    vi.advanceTimersByTime(100);
    expect(sent.map((at) => at - releasedAt)).toEqual([0, 20, 40]);
    expect(pacer.playedMs('greeting')).toBe(60);
    pacer.stop();
  });
});
