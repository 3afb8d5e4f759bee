import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Ids shaped like the real server's (`event_…`, `resp_…`, `item_…`, `sess_…`, `conv_…`).
export function newRealtimeId(prefix: 'event' | 'resp' | 'item' | 'sess' | 'conv'): string {
  const bytes = randomBytes(21);
  let suffix = '';
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return `${prefix}_${suffix}`;
}
