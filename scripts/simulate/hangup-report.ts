// The end of the call: the daemon releases everything the call created, in reverse order, and
// logs its own summary. Both go on the timeline, checked against what the fakes still hold.
import type { DaemonHarness } from '../../test/support/daemon-harness.ts';
import type { FakeCall } from '../../test/support/fake-asterisk/fake-asterisk.ts';
import type { FakeRealtimeSession } from '../../test/support/fake-realtime/fake-realtime-server.ts';
import { check, expectStage, field, isNumber, isRecord, isString, isStringArray } from './scenario-checks.ts';
import { count, ms, type Timeline } from './timeline.ts';

const WAIT_MS = 5000;

export async function reportHangup(
  harness: DaemonHarness,
  t: Timeline,
  call: FakeCall,
  hungUpAt: number,
  session: FakeRealtimeSession,
): Promise<void> {
  const ended = await expectStage(
    "the daemon's 'call ended' summary",
    harness.waitForCallEnded(call.channelId, WAIT_MS),
  );
  await expectStage(
    'releasing everything the call created',
    harness.asterisk
      .waitFor(() => harness.leftovers().length === 0, WAIT_MS)
      .catch(() => {
        throw new Error(`still there: ${harness.leftovers().join(', ')}`);
      }),
  );
  const reason = field(ended, 'reason', isString);
  check(reason === 'caller_hangup', () => `the call ended for '${reason}', not the caller's hangup`);
  const failures = ended['releaseFailures'];
  check(
    Array.isArray(failures) && failures.length === 0,
    () => `some releases failed: ${JSON.stringify(failures)}`,
  );
  const released = field(ended, 'released', isStringArray);
  const endedAt = harness.loggedAt(ended);
  const asteriskReleases = harness.asterisk.requests.filter(
    (r) => r.at >= hungUpAt && (r.nickname === 'hangup' || r.nickname === 'destroy'),
  );

  t.at(
    endedAt,
    `resources released ${ms(endedAt - hungUpAt)} after the hangup, in this order: ${released.join(', ')}`,
  );
  const hungUpChannels = asteriskReleases.filter((r) => r.nickname === 'hangup').length;
  const destroyedBridges = asteriskReleases.filter((r) => r.nickname === 'destroy').length;
  t.detail(
    `(Asterisk: ${count(hungUpChannels, 'channel')} hung up, ${count(destroyedBridges, 'bridge')} destroyed; ` +
      `the Realtime socket closed ${ms((session.closeInfo?.at ?? endedAt) - hungUpAt)} after the hangup)`,
  );
  t.detail('nothing left: no bridge or channel in Asterisk, no RTP port leased, no open Realtime session');
  t.flush();

  const rtpIn = field(ended, 'rtpIn', isRecord);
  const rtpOut = field(ended, 'rtpOut', isRecord);
  const conversation = field(ended, 'conversation', isRecord);
  t.print(`  daemon's own summary: ${reason} after ${ms(field(ended, 'durationMs', isNumber))}`);
  t.print(
    `    RTP from the caller: ${rtpIn['received']} packets received, ${rtpIn['forwarded']} forwarded, ` +
      `${rtpIn['dropped']} dropped (the caller sent ${call.framesSent} frames)`,
  );
  t.print(
    `    RTP to the caller: ${rtpOut['framesSent']} frames in ${count(rtpOut['talkSpurts'], 'talk spurt')}, ` +
      `${count(rtpOut['underruns'], 'underrun')}, ${count(rtpOut['stallResyncs'], 'clock resync')} after ` +
      `event-loop stalls (the caller heard ${call.heard.length})`,
  );
  t.print(
    `    conversation: ${count(conversation['callerTurns'], 'caller turn')}, ` +
      `${count(conversation['responses'], 'response')}, ${count(conversation['bargeIns'], 'barge-in')}; ` +
      `model turn latencies ${JSON.stringify(conversation['turnLatenciesMs'])} ms`,
  );
}
