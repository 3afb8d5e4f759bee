// Prometheus metrics for operators. Per-frame figures are not counted per packet here: RTP
// counters are summed from the calls' own counters when /metrics is scraped, so the hot path
// pays nothing for them. Histograms are observed once per event (a frame's lateness, a turn).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RTP_DROP_REASONS, type RtpInboundStats } from '../media/rtp/rtp-inbound-stats.ts';
import type { RtpPacerStats } from '../media/rtp/rtp-pacer.ts';

export interface RtpTotals {
  inbound: RtpInboundStats[];
  outbound: RtpPacerStats[];
}

const MS_BUCKETS = [1, 2, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120];
const JITTER_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 50];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly activeCalls: Gauge;
  readonly callsEnded: Counter<'reason'>;
  readonly callsTurnedAway: Counter<'why'>;
  readonly outboundLateness: Histogram;
  readonly answerToGreeting: Histogram;
  readonly turnLatency: Histogram;
  readonly bargeInReaction: Histogram;
  readonly realtimeErrors: Counter;
  readonly realtimeReconnects: Counter<'outcome'>;
  readonly tokens: Counter<'kind'>;
  readonly costUsd: Counter;
  readonly ariReconnects: Counter;
  readonly realtimeMalformed: Counter;
  /** Ended calls' RTP counters; live calls' are added at scrape time. */
  readonly #ended = { received: 0, forwarded: 0, sent: 0, dropped: new Map<string, number>() };

  constructor(sources: { liveRtp: () => RtpTotals; ariMalformed: () => number }) {
    const { liveRtp, ariMalformed } = sources;
    const registry = this.registry;
    collectDefaultMetrics({ register: registry });
    this.activeCalls = new Gauge({
      name: 'callbridge_active_calls',
      help: 'Calls in progress.',
      registers: [registry],
    });
    this.callsEnded = new Counter({
      name: 'callbridge_calls_ended_total',
      help: 'Calls ended, by end reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.callsTurnedAway = new Counter({
      name: 'callbridge_calls_turned_away_total',
      help: 'Calls refused before preparation (at capacity, or shutting down).',
      labelNames: ['why'],
      registers: [registry],
    });
    const ended = this.#ended;
    const sumLive = (pick: (totals: RtpTotals) => number) => pick(liveRtp());
    new Counter({
      name: 'callbridge_rtp_packets_total',
      help: 'RTP packets: received from Asterisk, forwarded to the model, sent to Asterisk.',
      labelNames: ['direction'],
      registers: [registry],
      collect() {
        this.reset();
        const live = liveRtp();
        this.inc({ direction: 'in' }, ended.received + live.inbound.reduce((n, s) => n + s.received, 0));
        this.inc(
          { direction: 'forwarded' },
          ended.forwarded + live.inbound.reduce((n, s) => n + s.forwarded, 0),
        );
        this.inc(
          { direction: 'out' },
          ended.sent + sumLive((t) => t.outbound.reduce((n, s) => n + s.framesSent, 0)),
        );
      },
    });
    new Counter({
      name: 'callbridge_rtp_dropped_total',
      help: 'Inbound RTP packets dropped, by reason.',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        const live = liveRtp().inbound;
        for (const reason of RTP_DROP_REASONS) {
          const count = (ended.dropped.get(reason) ?? 0) + live.reduce((n, s) => n + s.dropped[reason], 0);
          if (count > 0) this.inc({ reason }, count);
        }
      },
    });
    this.outboundLateness = new Histogram({
      name: 'callbridge_outbound_frame_lateness_ms',
      help: 'How late each outbound 20 ms frame left against its deadline (outbound jitter).',
      buckets: JITTER_BUCKETS,
      registers: [registry],
    });
    this.answerToGreeting = new Histogram({
      name: 'callbridge_answer_to_greeting_ms',
      help: "Answer to the greeting's first RTP frame.",
      buckets: MS_BUCKETS,
      registers: [registry],
    });
    this.turnLatency = new Histogram({
      name: 'callbridge_turn_latency_ms',
      help: 'Caller stopped speaking to the first agent audio out.',
      buckets: MS_BUCKETS,
      registers: [registry],
    });
    this.bargeInReaction = new Histogram({
      name: 'callbridge_barge_in_reaction_ms',
      help: 'speech_started received to agent playback stopped.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers: [registry],
    });
    this.realtimeErrors = new Counter({
      name: 'callbridge_realtime_errors_total',
      help: 'Error events from the Realtime API.',
      registers: [registry],
    });
    this.realtimeReconnects = new Counter({
      name: 'callbridge_realtime_reconnects_total',
      help: 'Realtime sockets replaced mid-call: reconnected after a drop, rolled_over before the session limit, or failed (could not be restored).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 'callbridge_tokens_total',
      help: 'Realtime tokens used, by kind.',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.costUsd = new Counter({
      name: 'callbridge_cost_usd_total',
      help: 'Estimated cost (USD).',
      registers: [registry],
    });
    this.ariReconnects = new Counter({
      name: 'callbridge_ari_reconnects_total',
      help: 'ARI events socket reconnections.',
      registers: [registry],
    });
    this.realtimeMalformed = new Counter({
      name: 'callbridge_realtime_malformed_events_total',
      help: 'Realtime server messages dropped as malformed (not JSON, no type, fields missing).',
      registers: [registry],
    });
    new Counter({
      name: 'callbridge_ari_malformed_events_total',
      help: 'ARI events dropped as malformed (not JSON, fields the spec requires missing).',
      registers: [registry],
      collect() {
        this.reset();
        const count = ariMalformed();
        if (count > 0) this.inc(count);
      },
    });
  }

  /** A call ended: its counters move from live to the totals. */
  callEnded(reason: string, inbound: RtpInboundStats | null, outbound: RtpPacerStats | null): void {
    this.callsEnded.inc({ reason });
    if (inbound) {
      this.#ended.received += inbound.received;
      this.#ended.forwarded += inbound.forwarded;
      for (const dropReason of RTP_DROP_REASONS) {
        const count = inbound.dropped[dropReason];
        if (count > 0)
          this.#ended.dropped.set(dropReason, (this.#ended.dropped.get(dropReason) ?? 0) + count);
      }
    }
    if (outbound) this.#ended.sent += outbound.framesSent;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
