// A minimal ARI REST caller for tests of the fake itself (the daemon uses ari-client).

import type { FakeAsterisk } from '../../support/fake-asterisk/fake-asterisk.ts';

export interface AriReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON.
  body: any;
  headers: Headers;
}

export interface AriCallOptions {
  query?: Record<string, string>;
  json?: unknown;
  /** false: no credentials; a pair: these instead of the fake's. */
  auth?: false | { username: string; password: string };
}

export async function ari(
  asterisk: FakeAsterisk,
  method: string,
  path: string,
  options: AriCallOptions = {},
): Promise<AriReply> {
  const url = new URL(`${asterisk.url}/ari${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const creds = options.auth === undefined ? asterisk : options.auth;
  if (creds)
    headers['Authorization'] =
      `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    headers: response.headers,
  };
}
