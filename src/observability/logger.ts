// pino JSON logs. Secrets are redacted wherever they might appear; transcripts live under the
// `transcript.text` field so an operator can redact them with one setting.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerSettings {
  level: string;
  redactTranscripts: boolean;
}

const SECRET_PATHS = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.Authorization',
  'headers["api-key"]',
];

export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const paths = settings.redactTranscripts ? [...SECRET_PATHS, 'transcript.text'] : SECRET_PATHS;
  return pino(
    {
      name: 'callbridge',
      level: settings.level,
      redact: { paths, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
