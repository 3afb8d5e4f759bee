import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallerSilenceFiller } from '../../../src/media/caller-silence-filler.ts';

describe('CallerSilenceFiller', () => {
  let frames: string[];
  let filler: CallerSilenceFiller;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    frames = [];
    filler = new CallerSilenceFiller({
      law: 'ulaw',
      fillAfterMs: 60,
      sendBase64Frame: (f) => frames.push(f),
    });
  });
  afterEach(() => {
    filler.stop();
    vi.useRealTimers();
  });

  it('sends nothing while the caller is talking', () => {
    filler.start();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(20);
      filler.noteCallerAudio();
    }
    expect(frames).toHaveLength(0);
  });

  it('fills a gap with 160-byte μ-law silence frames, making up for the gap first', () => {
    filler.start();
    vi.advanceTimersByTime(60);
    expect(frames).toHaveLength(3);
    vi.advanceTimersByTime(100);
    expect(frames).toHaveLength(8);
    const frame = Buffer.from(frames[0]!, 'base64');
    expect(frame).toHaveLength(160);
    expect(frame.every((b) => b === 0xff)).toBe(true);
  });

  it('stops filling as soon as the caller speaks again', () => {
    filler.start();
    vi.advanceTimersByTime(100);
    const before = frames.length;
    filler.noteCallerAudio();
    vi.advanceTimersByTime(40);
    expect(frames.length).toBe(before);
  });

  it('uses A-law silence for alaw calls', () => {
    const alaw: string[] = [];
    const other = new CallerSilenceFiller({
      law: 'alaw',
      fillAfterMs: 20,
      sendBase64Frame: (f) => alaw.push(f),
    });
    other.start();
    vi.advanceTimersByTime(20);
    other.stop();
    expect(Buffer.from(alaw[0]!, 'base64').every((b) => b === 0xd5)).toBe(true);
  });

  it('leaves no timer after stop', () => {
    filler.start();
    filler.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
