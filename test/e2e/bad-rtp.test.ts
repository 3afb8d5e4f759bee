// Malformed, short, foreign and wrong-payload-type RTP is dropped and counted by reason; the
// call carries on and the caller's real audio still reaches the model unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

function rtp(options: {
  version?: number;
  payloadType?: number;
  sequence?: number;
  payload?: number;
  ssrc?: number;
}) {
  const packet = Buffer.alloc(12 + (options.payload ?? 160), 0x2a);
  packet[0] = (options.version ?? 2) << 6;
  packet[1] = options.payloadType ?? 0;
  packet.writeUInt16BE(options.sequence ?? 1, 2);
  packet.writeUInt32BE(0, 4);
  packet.writeUInt32BE(options.ssrc ?? 0x1234, 8);
  return packet;
}

describe('bad RTP from the network', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    harness = await DaemonHarness.start();
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('drops and counts each kind of bad packet and keeps the call going', async () => {
    const call = await harness.placeCall();
    await harness.waitForLog('call answered');
    const session = await harness.realtime.waitForSession(0);

    await call.sendRtpRaw(Buffer.alloc(7));
    await call.sendRtpRaw(rtp({ version: 1 }));
    await call.sendRtpRaw(rtp({ payloadType: 8 }));
    await call.sendRtpRaw(rtp({ payloadType: 101, payload: 4 }));
    await call.sendRtpRaw(rtp({ payload: 0 }));
    const malformedCsrc = rtp({ payload: 0 });
    malformedCsrc[0] = 0x8f;
    await call.sendRtpRaw(malformedCsrc);
    await call.sendRtpRaw(rtp({}), { foreign: true });
    await call.sendRtpRaw(rtp({}), { foreign: true });

    // Real audio afterwards still reaches the model byte for byte.
    const speech = tone(500, 400, 'ulaw');
    await call.sendAudio(speech);
    await session.waitFor(() => session.inputAudio().includes(speech), 5000);
    expect(session.inputAudio().includes(Buffer.alloc(160, 0x2a))).toBe(false);

    call.hangup();
    const ended = await harness.waitForCallEnded(call.channelId);
    expect(ended['rtpIn']).toMatchObject({
      dropped: 8,
      droppedBy: {
        too_short: 1,
        bad_version: 1,
        wrong_payload_type: 2,
        empty_payload: 1,
        bad_csrc_count: 1,
        foreign_source: 2,
      },
    });
  });

  it('puts reordered packets back in order and drops duplicates', async () => {
    const call = await harness.placeCall();
    await harness.waitForLog('call answered');
    const session = await harness.realtime.waitForSession(0);
    const frames = [0, 1, 2, 3].map((n) => Buffer.alloc(160, 0x10 + n));
    const packet = (n: number) => {
      const p = rtp({ sequence: 5000 + n, ssrc: 0xabcdef });
      frames[n]!.copy(p, 12);
      return p;
    };
    for (const n of [0, 2, 1, 1, 3]) await call.sendRtpRaw(packet(n));
    const expected = Buffer.concat(frames);
    await session.waitFor(() => session.inputAudio().includes(expected), 5000);
    call.hangup();
    const ended = await harness.waitForCallEnded(call.channelId);
    expect(ended['rtpIn']).toMatchObject({ dropped: 1, droppedBy: { duplicate: 1 }, lost: 0 });
  });
});
