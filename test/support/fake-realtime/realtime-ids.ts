import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Ids shaped like the real server's (`event_…`, `resp_…`, `item_…`, `sess_…`, `conv_…`, and a
// function call's shorter `call_…`).
export function newRealtimeId(prefix: 'event' | 'resp' | 'item' | 'sess' | 'conv' | 'call'): string {
  const bytes = randomBytes(prefix === 'call' ? 16 : 21);
  let suffix = '';
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return `${prefix}_${suffix}`;
}
