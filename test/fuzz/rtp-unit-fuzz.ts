// RTP fuzzing straight against the code, without sockets, so millions of packets take seconds:
// parseRtpPacket against the RFC 3550 reference parse, and ExternalMediaPort fed packet by
// packet with every counter checked after each one.

import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { ExternalMediaPort } from '../../src/media/rtp/external-media-port.ts';
import { RTP_DROP_REASONS, type RtpDropReason, totalDropped } from '../../src/media/rtp/rtp-inbound-stats.ts';
import { createRtpPacketView, parseRtpPacket } from '../../src/media/rtp/rtp-packet.ts';
import {
  expectedClass,
  type FuzzPacket,
  referenceParse,
  rtpFuzzStream,
  validPacket,
} from './rtp-fuzz-packets.ts';
import { SeededRandom } from './seeded-random.ts';

export interface UnitFuzzResult {
  seed: number;
  packets: number;
  durationMs: number;
  /** Packets by what they should be counted as (parse fuzz: by verdict). */
  classes: Record<string, number>;
  problems: string[];
}

const MAX_PROBLEMS = 20;

function describe(packet: FuzzPacket, index: number): string {
  const hex = packet.data.subarray(0, 24).toString('hex');
  return `packet #${index} (${packet.origin}${packet.foreign ? ', foreign' : ''}, ${packet.data.length} bytes, ${hex}…)`;
}

/** parseRtpPacket never throws and agrees with the reference parse on every packet. */
export function runParseFuzz(options: { packets: number; seed: number }): UnitFuzzResult {
  const started = performance.now();
  const random = new SeededRandom(options.seed);
  const stream = rtpFuzzStream(random, { foreignShare: 0 });
  const view = createRtpPacketView();
  const classes: Record<string, number> = {};
  const problems: string[] = [];
  for (let index = 0; index < options.packets && problems.length < MAX_PROBLEMS; index++) {
    const packet = stream.next().value as FuzzPacket;
    const expected = referenceParse(packet.data);
    let actual: ReturnType<typeof parseRtpPacket>;
    try {
      actual = parseRtpPacket(packet.data, view);
    } catch (error) {
      problems.push(`${describe(packet, index)}: parseRtpPacket threw ${(error as Error).message}`);
      continue;
    }
    const key = expected.ok ? 'valid' : expected.reason;
    classes[key] = (classes[key] ?? 0) + 1;
    if (!expected.ok) {
      if (actual !== expected.reason)
        problems.push(
          `${describe(packet, index)}: parsed as ${actual ?? 'valid'}, expected ${expected.reason}`,
        );
      continue;
    }
    if (actual !== null) {
      problems.push(`${describe(packet, index)}: rejected as ${actual}, expected valid`);
      continue;
    }
    const mismatches = (
      ['payloadType', 'sequence', 'ssrc', 'payloadOffset', 'payloadLength'] as const
    ).filter((field) => view[field] !== expected[field]);
    if (mismatches.length > 0) {
      problems.push(
        `${describe(packet, index)}: ${mismatches.map((f) => `${f} ${view[f]} != ${expected[f]}`).join(', ')}`,
      );
    }
  }
  return {
    seed: options.seed,
    packets: options.packets,
    durationMs: performance.now() - started,
    classes,
    problems,
  };
}

/** A dgram.Socket stand-in: the port only listens, sends and closes. */
class LoopbackSocket extends EventEmitter {
  sent = 0;
  send(_packet: Buffer, _port: number, _address: string, callback?: (error: Error | null) => void): void {
    this.sent++;
    callback?.(null);
  }
  close(callback?: () => void): void {
    setImmediate(() => callback?.());
  }
}

interface Tracked {
  index: number;
  packet: FuzzPacket;
  epoch: number;
  sequence: number;
  payloadStart: number;
  payloadLength: number;
}

const PEER = { address: '127.0.0.1', port: 4000 } as const;
const FOREIGN = [
  { address: '127.0.0.1', port: 4001 },
  { address: '10.0.0.9', port: 4000 },
] as const;
const WINDOW = 4;

function sequenceDelta(from: number, to: number): number {
  return (((to - from) & 0xffff) << 16) >> 16;
}

/**
 * Feeds ExternalMediaPort the fuzz stream and checks, after every packet: it was counted once,
 * under the reason the reference parse gives (or forwarded/held/duplicate/late when valid);
 * `received === forwarded + dropped + held` with at most window-1 held; each payload forwarded
 * is the right slice of a valid packet, forwarded once, in sequence order within an SSRC, and an
 * in-order packet is forwarded at once. Every so often the hold timer is let run and must empty
 * the buffer. Afterwards a fresh in-order stream is forwarded whole.
 */
export async function runPortFuzz(options: {
  packets: number;
  seed: number;
  holdMs?: number;
}): Promise<UnitFuzzResult & { counters: Record<string, number> }> {
  const started = performance.now();
  const holdMs = options.holdMs ?? 2;
  const random = new SeededRandom(options.seed);
  const stream = rtpFuzzStream(random.fork(), { foreignShare: 0.1 });
  const socket = new LoopbackSocket();
  let closed = false;
  const port = new ExternalMediaPort({
    socket: socket as unknown as Socket,
    port: 40_000,
    payloadType: 0,
    reorderHoldMs: holdMs,
    onClosed: () => {
      closed = true;
    },
  });
  port.setPeer(PEER);
  const stats = port.stats;
  const problems: string[] = [];
  const classes: Record<string, number> = {};
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${text} (seed ${options.seed})`);
  };

  /** Valid packets neither forwarded nor dropped yet: what the reorder buffer holds. */
  let pending: Tracked[] = [];
  const order: { last: Tracked | null } = { last: null };
  let releasedNow: Tracked[] = [];
  port.onPayload((payload) => {
    const owner = pending.find(
      (t) =>
        t.packet.data.buffer === payload.buffer &&
        t.packet.data.byteOffset + t.payloadStart === payload.byteOffset,
    );
    if (!owner) {
      problem(
        `a payload was forwarded that belongs to no valid packet awaiting release (${payload.length} bytes)`,
      );
      return;
    }
    if (payload.length !== owner.payloadLength)
      problem(
        `${describe(owner.packet, owner.index)}: forwarded ${payload.length} bytes, payload is ${owner.payloadLength}`,
      );
    pending = pending.filter((t) => t !== owner);
    const last = order.last;
    // Ahead means ahead of the next expected number, as far as half the sequence space.
    if (
      last &&
      last.epoch === owner.epoch &&
      sequenceDelta((last.sequence + 1) & 0xffff, owner.sequence) < 0
    ) {
      problem(
        `${describe(owner.packet, owner.index)}: sequence ${owner.sequence} forwarded after ${last.sequence} of the same SSRC`,
      );
    }
    order.last = owner;
    releasedNow.push(owner);
  });

  let epoch = 0;
  let currentSsrc: number | null = null;
  const countersBefore = new Map<RtpDropReason, number>();
  const checkBalance = (where: string) => {
    const held = stats.received - stats.forwarded - totalDropped(stats);
    if (held !== pending.length || held < 0 || held > WINDOW - 1)
      problem(
        `${where}: received ${stats.received} - forwarded ${stats.forwarded} - dropped ${totalDropped(stats)} = ${held}, but ${pending.length} valid packet(s) await release`,
      );
  };
  const letHoldTimerRun = async () => {
    const deadline = performance.now() + 20 * (holdMs + 5);
    while (pending.length > 0 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, holdMs + 1));
    if (pending.length > 0)
      problem(
        `${pending.length} packet(s) still held ${Math.round(20 * (holdMs + 5))} ms after they arrived`,
      );
    checkBalance('after the hold timer');
  };

  let nextPause = random.between(50, 5000);
  for (let index = 0; index < options.packets; index++) {
    if (problems.length >= MAX_PROBLEMS) break;
    const packet = stream.next().value as FuzzPacket;
    const expected = expectedClass(packet, 0);
    classes[expected] = (classes[expected] ?? 0) + 1;
    let tracked: Tracked | null = null;
    if (expected === 'valid') {
      const verdict = referenceParse(packet.data);
      if (!verdict.ok) throw new Error('unreachable');
      if (currentSsrc !== null && currentSsrc !== verdict.ssrc) epoch++;
      currentSsrc = verdict.ssrc;
      tracked = {
        index,
        packet,
        epoch,
        sequence: verdict.sequence,
        payloadStart: verdict.payloadOffset,
        payloadLength: verdict.payloadLength,
      };
      pending.push(tracked);
    }
    const last = order.last;
    const inOrder =
      tracked !== null &&
      last !== null &&
      pending.length === 1 &&
      last.epoch === tracked.epoch &&
      tracked.sequence === ((last.sequence + 1) & 0xffff);
    for (const reason of RTP_DROP_REASONS) countersBefore.set(reason, stats.dropped[reason]);
    const receivedBefore = stats.received;
    releasedNow = [];
    try {
      socket.emit('message', packet.data, packet.foreign ? random.pick(FOREIGN) : PEER);
    } catch (error) {
      problem(`${describe(packet, index)}: the port threw ${(error as Error).stack}`);
      break;
    }
    if (stats.received !== receivedBefore + 1)
      problem(`${describe(packet, index)}: received went ${receivedBefore} → ${stats.received}`);
    const grew = RTP_DROP_REASONS.filter((reason) => stats.dropped[reason] !== countersBefore.get(reason));
    if (expected === 'valid') {
      const dropped = grew.length === 1 && (grew[0] === 'duplicate' || grew[0] === 'late');
      if (grew.length > 1 || (grew.length === 1 && !dropped))
        problem(`${describe(packet, index)}: a valid packet was counted as ${grew.join(', ')}`);
      if (dropped) pending = pending.filter((t) => t !== tracked);
      if (inOrder && !releasedNow.includes(tracked!))
        problem(`${describe(packet, index)}: the next packet in order was not forwarded at once`);
    } else if (
      grew.length !== 1 ||
      grew[0] !== expected ||
      stats.dropped[expected] !== countersBefore.get(expected)! + 1
    ) {
      problem(
        `${describe(packet, index)}: expected one ${expected} drop, counters that grew: ${grew.join(', ') || 'none'}`,
      );
    }
    checkBalance(describe(packet, index));
    if (--nextPause <= 0) {
      nextPause = random.between(50, 5000);
      await letHoldTimerRun();
    }
  }
  await letHoldTimerRun();

  // Afterwards the port still forwards a fresh stream, every packet at once and in order.
  const fresh = { ssrc: random.uint32(), sequence: random.int(0x10000), timestamp: random.uint32() };
  const forwardedBefore = stats.forwarded;
  epoch++;
  for (let i = 0; i < 50; i++) {
    const data = validPacket(fresh, 0, random);
    const sequence = data.readUInt16BE(2);
    const packet: FuzzPacket = { data, foreign: false, origin: 'fresh' };
    pending.push({ index: -1, packet, epoch, sequence, payloadStart: 12, payloadLength: 160 });
    socket.emit('message', data, PEER);
  }
  if (stats.forwarded - forwardedBefore !== 50 || pending.length !== 0)
    problem(`after the fuzz, ${stats.forwarded - forwardedBefore} of 50 in-order packets were forwarded`);
  checkBalance('after the fresh stream');
  await port.close();
  if (!closed) problem('the port did not report itself closed');
  const counters: Record<string, number> = {
    received: stats.received,
    forwarded: stats.forwarded,
    dropped: totalDropped(stats),
    lost: stats.lost,
    reordered: stats.reordered,
    ssrcChanges: stats.ssrcChanges,
  };
  for (const reason of RTP_DROP_REASONS) counters[`dropped.${reason}`] = stats.dropped[reason];
  return {
    seed: options.seed,
    packets: options.packets,
    durationMs: performance.now() - started,
    classes,
    problems,
    counters,
  };
}
