import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtpReorderBuffer } from '../../../src/media/rtp/rtp-reorder-buffer.ts';

const frame = (n: number) => Buffer.from([n & 0xff]);

describe('RtpReorderBuffer', () => {
  let released: number[];
  let buffer: RtpReorderBuffer;

  beforeEach(() => {
    vi.useFakeTimers();
    released = [];
    buffer = new RtpReorderBuffer({ release: (p) => released.push(p[0]!), windowPackets: 4, holdMs: 20 });
  });
  afterEach(() => {
    buffer.close();
    vi.useRealTimers();
  });

  it('releases in-order packets at once, across the 16-bit wrap', () => {
    for (const seq of [65534, 65535, 0, 1]) expect(buffer.push(seq, frame(seq))).toBe('released');
    expect(released).toEqual([254, 255, 0, 1]);
  });

  it('puts a swapped pair back in order without waiting', () => {
    buffer.push(10, frame(10));
    expect(buffer.push(12, frame(12))).toBe('held');
    expect(released).toEqual([10]);
    expect(buffer.push(11, frame(11))).toBe('released');
    expect(released).toEqual([10, 11, 12]);
    expect(buffer.reordered).toBe(1);
    expect(buffer.lost).toBe(0);
  });

  it('gives up on a missing packet after the hold time and counts it lost', () => {
    buffer.push(10, frame(10));
    buffer.push(12, frame(12));
    buffer.push(13, frame(13));
    vi.advanceTimersByTime(19);
    expect(released).toEqual([10]);
    vi.advanceTimersByTime(1);
    expect(released).toEqual([10, 12, 13]);
    expect(buffer.lost).toBe(1);
    expect(buffer.push(11, frame(11))).toBe('late');
  });

  it('drops duplicates of released and of held packets', () => {
    buffer.push(10, frame(10));
    expect(buffer.push(10, frame(10))).toBe('duplicate');
    buffer.push(12, frame(12));
    expect(buffer.push(12, frame(12))).toBe('duplicate');
    expect(released).toEqual([10]);
  });

  it('treats a jump beyond the window as a new position and releases at once', () => {
    buffer.push(10, frame(10));
    buffer.push(12, frame(12));
    expect(buffer.push(40, frame(40))).toBe('released');
    expect(released).toEqual([10, 12, 40]);
    expect(buffer.push(41, frame(41))).toBe('released');
  });

  it('counts a long gap as lost in one step and still tells late packets from duplicates', () => {
    buffer.push(100, frame(100));
    expect(buffer.push(4100, frame(4100))).toBe('released');
    expect(buffer.lost).toBe(3999);
    // Recently given up: late. Given up long before (beyond the 256 remembered): a duplicate.
    expect(buffer.push(4099, frame(0))).toBe('late');
    expect(buffer.push(3844, frame(0))).toBe('late');
    expect(buffer.push(3843, frame(0))).toBe('duplicate');
    // A jump of more than 4096 is a new stream position, counted once.
    expect(buffer.push(4101 + 20_000, frame(1))).toBe('released');
    expect(buffer.lost).toBe(4000);
    expect(buffer.push(4101 + 20_001, frame(2))).toBe('released');
  });

  it('releases held packets in order when a far packet skips the gap', () => {
    buffer.push(10, frame(10));
    buffer.push(12, frame(12));
    buffer.push(13, frame(13));
    expect(buffer.push(300, frame(44))).toBe('released');
    expect(released).toEqual([10, 12, 13, 44]);
    expect(buffer.lost).toBe(1 + (300 - 14));
    expect(buffer.push(11, frame(11))).toBe('late');
  });

  it('leaves no timer behind when closed', () => {
    buffer.push(1, frame(1));
    buffer.push(3, frame(3));
    buffer.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
