// Every setting callbridge reads, with its documentation, default, format and environment
// variable. Values come from, lowest to highest: these defaults, config/default.json, the file
// named by CONFIG_FILE or --config, then environment variables.
import type convict from 'convict';
import {
  checkAriUrl,
  checkCronExpression,
  checkHostName,
  checkIpAddress,
  checkRealtimeBaseUrl,
  checkRequiredText,
} from './config-formats.ts';

export interface AppConfig {
  ari: {
    url: string;
    username: string;
    password: string;
    app: string;
    connectTimeoutMs: number;
    requestTimeoutMs: number;
    stasisStartTimeoutMs: number;
    reconnectMinDelayMs: number;
    reconnectMaxDelayMs: number;
  };
  rtp: {
    bind: string;
    advertiseHost: string;
    portMin: number;
    portMax: number;
    format: 'ulaw' | 'alaw';
    asteriskHost: string;
    reorderHoldMs: number;
    silenceFillAfterMs: number;
  };
  media: {
    topology: 'snoop' | 'bridge';
  };
  ring: {
    answer: 'when-ready' | 'immediately';
    minMs: number;
    maxMs: number;
  };
  agents: {
    file: string;
  };
  store: {
    dataDir: string;
  };
  memory: {
    summaryTimeoutMs: number;
    retentionDays: number;
  };
  records: {
    retentionDays: number;
  };
  pool: {
    size: number;
    maxAgeMs: number;
  };
  tools: {
    allowHttpHosts: string[];
  };
  prices: {
    audioInputPerMTok: number;
    audioOutputPerMTok: number;
    textInputPerMTok: number;
    textOutputPerMTok: number;
    cachedInputPerMTok: number;
  };
  admin: {
    host: string;
    port: number;
    token: string;
  };
  openai: {
    apiKey: string;
    baseUrl: string;
    authStyle: 'bearer' | 'api-key';
    model: string;
    voice: string;
    instructions: string;
    inputTranscriptionModel: string;
    connectTimeoutMs: number;
    reconnectAttempts: number;
    reconnectTimeoutMs: number;
    rolloverAfterMs: number;
    vad: {
      type: 'server_vad' | 'semantic_vad';
      threshold: number;
      prefixPaddingMs: number;
      silenceDurationMs: number;
      eagerness: 'low' | 'medium' | 'high' | 'auto';
    };
  };
  greeting: {
    enabled: boolean;
    instructions: string;
  };
  failure: {
    action: 'hangup' | 'continue';
    sound: string;
    soundTimeoutMs: number;
    context: string;
    extension: string;
    priority: number;
  };
  jobs: {
    leftoverSweepCron: string;
    leftoverMinAgeMs: number;
    retentionCron: string;
  };
  log: {
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    redactTranscripts: boolean;
  };
  shutdown: {
    timeoutMs: number;
    drainTimeoutMs: number;
    goodbyeTimeoutMs: number;
  };
  capacity: {
    maxConcurrentCalls: number;
    action: 'busy' | 'continue';
    sound: string;
    soundTimeoutMs: number;
    context: string;
    extension: string;
    priority: number;
  };
}

const positiveMs = (doc: string, defaultMs: number, env?: string) => ({
  doc,
  format: 'nat',
  default: defaultMs,
  ...(env ? { env } : {}),
});

export const configSchema: convict.Schema<AppConfig> = {
  ari: {
    url: {
      doc: 'Root URL of Asterisk\'s HTTP server, e.g. http://asterisk:8088 ("/ari" may be included).',
      format: checkAriUrl,
      default: 'http://127.0.0.1:8088',
      env: 'ARI_URL',
    },
    username: {
      doc: 'ARI user from ari.conf.',
      format: checkRequiredText,
      default: 'callbridge',
      env: 'ARI_USERNAME',
    },
    password: {
      doc: 'Password of the ARI user.',
      format: checkRequiredText,
      default: '',
      env: 'ARI_PASSWORD',
      sensitive: true,
    },
    app: {
      doc: 'Name of the Stasis application the dialplan sends calls to: Stasis(<app>,<dialled number>).',
      format: (value: unknown) => {
        if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
          throw new Error('must be 1-64 letters, digits, "_", "." or "-"');
        }
      },
      default: 'callbridge',
      env: 'ARI_APP',
    },
    connectTimeoutMs: positiveMs('Time allowed to reach ARI at start-up.', 5000, 'ARI_CONNECT_TIMEOUT_MS'),
    requestTimeoutMs: positiveMs('Time allowed for one ARI REST request.', 5000),
    stasisStartTimeoutMs: positiveMs(
      'Time allowed for a channel callbridge created (externalMedia, snoop) to enter the app.',
      3000,
    ),
    reconnectMinDelayMs: positiveMs('First delay before reconnecting a dropped ARI event socket.', 250),
    reconnectMaxDelayMs: positiveMs('Longest delay between ARI event socket reconnect attempts.', 10_000),
  },
  rtp: {
    bind: {
      doc: 'Local address the per-call RTP sockets bind to.',
      format: checkIpAddress,
      default: '0.0.0.0',
      env: 'RTP_BIND',
    },
    advertiseHost: {
      doc: "Address Asterisk sends a call's RTP to (externalMedia external_host); set it for NAT and containers.",
      format: checkHostName,
      default: '127.0.0.1',
      env: 'RTP_ADVERTISE_HOST',
    },
    portMin: {
      doc: 'Lowest UDP port of the RTP range.',
      format: 'port',
      default: 20000,
      env: 'RTP_PORT_MIN',
    },
    portMax: {
      doc: 'Highest UDP port of the RTP range.',
      format: 'port',
      default: 20999,
      env: 'RTP_PORT_MAX',
    },
    format: {
      doc: 'G.711 law used with Asterisk and the model: ulaw (PCMU) or alaw (PCMA). Nothing is transcoded.',
      format: ['ulaw', 'alaw'],
      default: 'ulaw',
      env: 'RTP_FORMAT',
    },
    asteriskHost: {
      doc: "Address Asterisk's RTP comes from and ours goes to; empty uses UNICASTRTP_LOCAL_ADDRESS from Asterisk.",
      format: String,
      default: '',
      env: 'RTP_ASTERISK_HOST',
    },
    reorderHoldMs: positiveMs(
      'How long a packet that arrived early waits for a missing one before that one counts as lost.',
      20,
    ),
    silenceFillAfterMs: positiveMs(
      'Caller audio gap after which silence frames are sent to the model on the 20 ms clock.',
      60,
    ),
  },
  media: {
    topology: {
      doc: 'snoop: a snoop on the caller (spy in, whisper out) and the externalMedia channel share a bridge; bridge: the caller and the externalMedia channel share a bridge.',
      format: ['snoop', 'bridge'],
      default: 'snoop',
      env: 'MEDIA_TOPOLOGY',
    },
  },
  ring: {
    answer: {
      doc: 'when-ready: ring while preparing and answer once the greeting is buffered (or at ring.maxMs); immediately: answer at once, then prepare.',
      format: ['when-ready', 'immediately'],
      default: 'when-ready',
      env: 'ANSWER_MODE',
    },
    minMs: positiveMs('Least ringing before answering (keep a ring or two).', 0, 'RING_MIN_MS'),
    maxMs: positiveMs(
      'Most ringing while preparing; the call is answered then even if the greeting is not ready.',
      4000,
      'RING_MAX_MS',
    ),
  },
  agents: {
    file: {
      doc: 'Agents file (YAML or JSON) with one agent per dialled number; empty: one default agent from the openai.* and greeting.* settings. Reloaded on change and on SIGHUP.',
      format: String,
      default: '',
      env: 'AGENTS_FILE',
    },
  },
  store: {
    dataDir: {
      doc: 'Directory of the embedded call store (callbridge.sqlite): call records and caller memory; empty disables both.',
      format: String,
      default: 'data',
      env: 'STORE_DATA_DIR',
    },
  },
  memory: {
    summaryTimeoutMs: positiveMs(
      'Longest wait at the end of a call for the model to summarise it for the caller memory.',
      4000,
    ),
    retentionDays: {
      doc: 'Caller memory unused for this many days is deleted; 0 keeps it forever.',
      format: 'nat',
      default: 180,
      env: 'MEMORY_RETENTION_DAYS',
    },
  },
  records: {
    retentionDays: {
      doc: 'Call records older than this many days are deleted; 0 keeps them forever.',
      format: 'nat',
      default: 0,
      env: 'RECORDS_RETENTION_DAYS',
    },
  },
  pool: {
    size: {
      doc: 'Realtime sessions kept open and configured per agent ahead of calls; 0 turns the warm pool off.',
      format: 'nat',
      default: 0,
      env: 'POOL_SIZE',
    },
    maxAgeMs: positiveMs(
      'A pooled session idle since it opened for this long is closed and replaced (the provider limits session length).',
      45 * 60_000,
      'POOL_MAX_AGE_MS',
    ),
  },
  tools: {
    allowHttpHosts: {
      doc: 'Hosts webhook tools may reach over plain http (all others need https), comma separated.',
      format: Array,
      default: [],
      env: 'TOOLS_ALLOW_HTTP_HOSTS',
    },
  },
  prices: {
    audioInputPerMTok: {
      doc: 'USD per million audio input tokens, for cost estimates.',
      format: Number,
      default: 32,
      env: 'PRICE_AUDIO_INPUT_PER_MTOK',
    },
    audioOutputPerMTok: {
      doc: 'USD per million audio output tokens.',
      format: Number,
      default: 64,
      env: 'PRICE_AUDIO_OUTPUT_PER_MTOK',
    },
    textInputPerMTok: {
      doc: 'USD per million text input tokens.',
      format: Number,
      default: 4,
      env: 'PRICE_TEXT_INPUT_PER_MTOK',
    },
    textOutputPerMTok: {
      doc: 'USD per million text output tokens.',
      format: Number,
      default: 16,
      env: 'PRICE_TEXT_OUTPUT_PER_MTOK',
    },
    cachedInputPerMTok: {
      doc: 'USD per million cached input tokens.',
      format: Number,
      default: 0.4,
      env: 'PRICE_CACHED_INPUT_PER_MTOK',
    },
  },
  admin: {
    host: {
      doc: 'Address of the admin HTTP server (call records API); loopback unless you mean to expose it.',
      format: checkIpAddress,
      default: '127.0.0.1',
      env: 'ADMIN_HOST',
    },
    port: {
      doc: 'Port of the admin HTTP server; 0 disables it.',
      format: 'port',
      default: 8089,
      env: 'ADMIN_PORT',
    },
    token: {
      doc: 'Bearer token the admin HTTP server requires; empty for none.',
      format: String,
      default: '',
      env: 'ADMIN_TOKEN',
      sensitive: true,
    },
  },
  openai: {
    apiKey: {
      doc: 'OpenAI (or compatible) API key.',
      format: checkRequiredText,
      default: '',
      env: 'OPENAI_API_KEY',
      sensitive: true,
    },
    baseUrl: {
      doc: 'API base URL; the Realtime socket is <baseUrl>/realtime (https becomes wss, http becomes ws).',
      format: checkRealtimeBaseUrl,
      default: 'https://api.openai.com/v1',
      env: 'OPENAI_BASE_URL',
    },
    authStyle: {
      doc: 'How the key is sent: bearer (Authorization: Bearer, OpenAI) or api-key (api-key header, Azure OpenAI).',
      format: ['bearer', 'api-key'],
      default: 'bearer',
      env: 'OPENAI_AUTH_STYLE',
    },
    model: {
      doc: 'Realtime model.',
      format: checkRequiredText,
      default: 'gpt-realtime',
      env: 'OPENAI_MODEL',
    },
    voice: { doc: 'Voice of the agent.', format: checkRequiredText, default: 'marin', env: 'OPENAI_VOICE' },
    instructions: {
      doc: 'System instructions of the agent.',
      format: String,
      default:
        'You are a friendly, concise phone receptionist. Speak naturally in short sentences; callers hear you over a phone line.',
      env: 'AGENT_INSTRUCTIONS',
    },
    inputTranscriptionModel: {
      doc: 'Model that transcribes the caller for the logs; empty turns caller transcripts off.',
      format: String,
      default: 'gpt-4o-mini-transcribe',
      env: 'OPENAI_TRANSCRIPTION_MODEL',
    },
    connectTimeoutMs: positiveMs(
      "Time allowed to open and configure a call's Realtime session before the failure behaviour applies.",
      5000,
      'OPENAI_CONNECT_TIMEOUT_MS',
    ),
    reconnectAttempts: {
      doc: 'When the Realtime socket drops mid-call: attempts to reopen it and restore the conversation before the failure behaviour applies; 0 gives up at once.',
      format: 'nat',
      default: 3,
      env: 'OPENAI_RECONNECT_ATTEMPTS',
    },
    reconnectTimeoutMs: positiveMs(
      'Time allowed for one reconnect attempt (open, configure, replay the conversation).',
      1000,
      'OPENAI_RECONNECT_TIMEOUT_MS',
    ),
    rolloverAfterMs: positiveMs(
      "Before the provider's session time limit (60 min for OpenAI), a call moves to a fresh session this long after its session opened, at a quiet moment; 0 never.",
      55 * 60_000,
      'OPENAI_ROLLOVER_AFTER_MS',
    ),
    vad: {
      type: {
        doc: 'Turn detection: server_vad (volume) or semantic_vad.',
        format: ['server_vad', 'semantic_vad'],
        default: 'server_vad',
        env: 'VAD_TYPE',
      },
      threshold: {
        doc: 'server_vad activation threshold, 0 to 1.',
        format: (value: unknown) => {
          if (typeof value !== 'number' || !(value >= 0 && value <= 1))
            throw new Error('must be between 0 and 1');
        },
        default: 0.5,
        env: 'VAD_THRESHOLD',
      },
      prefixPaddingMs: positiveMs(
        'server_vad: audio kept before detected speech.',
        300,
        'VAD_PREFIX_PADDING_MS',
      ),
      silenceDurationMs: positiveMs(
        'server_vad: caller silence that ends a turn.',
        500,
        'VAD_SILENCE_DURATION_MS',
      ),
      eagerness: {
        doc: 'semantic_vad: how soon the model answers.',
        format: ['low', 'medium', 'high', 'auto'],
        default: 'auto',
        env: 'VAD_EAGERNESS',
      },
    },
  },
  greeting: {
    enabled: {
      doc: 'The agent speaks first as soon as the call is answered.',
      format: Boolean,
      default: true,
      env: 'GREETING_ENABLED',
    },
    instructions: {
      doc: 'Instructions for the greeting response.',
      format: String,
      default: 'Greet the caller warmly in one short sentence and ask how you can help.',
      env: 'GREETING_INSTRUCTIONS',
    },
  },
  failure: {
    action: {
      doc: 'When the AI session cannot open or fails: hangup (after the sound) or continue in the dialplan.',
      format: ['hangup', 'continue'],
      default: 'hangup',
      env: 'FAILURE_ACTION',
    },
    sound: {
      doc: 'Media played to the caller before hanging up, e.g. sound:an-error-has-occured; empty for none.',
      format: String,
      default: 'sound:an-error-has-occured',
      env: 'FAILURE_SOUND',
    },
    soundTimeoutMs: positiveMs('Longest wait for the failure sound to finish.', 15_000),
    context: {
      doc: 'Dialplan context for action=continue; empty continues after the Stasis() line.',
      format: String,
      default: '',
      env: 'FAILURE_CONTEXT',
    },
    extension: {
      doc: 'Extension for action=continue.',
      format: String,
      default: '',
      env: 'FAILURE_EXTENSION',
    },
    priority: { doc: 'Priority for action=continue.', format: 'nat', default: 1, env: 'FAILURE_PRIORITY' },
  },
  jobs: {
    leftoverSweepCron: {
      doc: 'node-cron schedule for removing bridges and channels an earlier run left behind; empty disables (the start-up sweep still runs).',
      format: checkCronExpression,
      default: '*/5 * * * *',
      env: 'LEFTOVER_SWEEP_CRON',
    },
    leftoverMinAgeMs: positiveMs(
      'A resource younger than this is never swept (it may be a call being set up).',
      60_000,
      'LEFTOVER_MIN_AGE_MS',
    ),
    retentionCron: {
      doc: 'node-cron schedule for deleting expired caller memory and call records; empty disables.',
      format: checkCronExpression,
      default: '17 3 * * *',
      env: 'RETENTION_CRON',
    },
  },
  log: {
    level: {
      doc: 'Log level.',
      format: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      env: 'LOG_LEVEL',
    },
    redactTranscripts: {
      doc: 'Replace transcript text in the logs with [redacted].',
      format: Boolean,
      default: false,
      env: 'LOG_REDACT_TRANSCRIPTS',
    },
  },
  shutdown: {
    timeoutMs: positiveMs(
      'On SIGTERM/SIGINT, longest wait for calls to be torn down once they are told to end.',
      10_000,
    ),
    drainTimeoutMs: positiveMs(
      'On SIGTERM/SIGINT, how long calls in progress may go on (new calls are turned away) before they are ended politely.',
      120_000,
      'SHUTDOWN_DRAIN_TIMEOUT_MS',
    ),
    goodbyeTimeoutMs: positiveMs(
      "Longest wait for the agent's goodbye to play out when a call is ended for shutdown.",
      8000,
      'SHUTDOWN_GOODBYE_TIMEOUT_MS',
    ),
  },
  capacity: {
    maxConcurrentCalls: {
      doc: 'Calls served at once; a call beyond it is turned away (capacity.action). 0: no limit.',
      format: 'nat',
      default: 100,
      env: 'MAX_CONCURRENT_CALLS',
    },
    action: {
      doc: 'A call turned away (at capacity, or while shutting down): busy (sound, then hang up) or continue in the dialplan.',
      format: ['busy', 'continue'],
      default: 'busy',
      env: 'CAPACITY_ACTION',
    },
    sound: {
      doc: 'Media played to a caller turned away before hanging up; empty hangs up with a busy signal.',
      format: String,
      default: 'sound:all-circuits-busy-now',
      env: 'CAPACITY_SOUND',
    },
    soundTimeoutMs: positiveMs('Longest wait for the busy sound to finish.', 15_000),
    context: {
      doc: 'Dialplan context for capacity.action=continue (e.g. a human queue); empty continues after the Stasis() line.',
      format: String,
      default: '',
      env: 'CAPACITY_CONTEXT',
    },
    extension: {
      doc: 'Extension for capacity.action=continue.',
      format: String,
      default: '',
      env: 'CAPACITY_EXTENSION',
    },
    priority: {
      doc: 'Priority for capacity.action=continue.',
      format: 'nat',
      default: 1,
      env: 'CAPACITY_PRIORITY',
    },
  },
};
