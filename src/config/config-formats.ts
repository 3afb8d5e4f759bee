// Format checks for config values that convict's built-in formats do not cover. Each throws an
// Error whose message says what a valid value looks like; convict prefixes it with the key.
import { isIP } from 'node:net';
import cron from 'node-cron';

export function checkRequiredText(value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error('must be set (a non-empty string)');
}

export function checkAriUrl(value: unknown): void {
  if (typeof value !== 'string') throw new Error('must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('must be a URL such as http://asterisk:8088');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('must start with http:// or https://');
  const path = url.pathname.replace(/\/+$/, '');
  // ari-client only keeps scheme and host, so any other path would be silently ignored.
  if (path !== '' && path !== '/ari')
    throw new Error(`must be the HTTP server root, not a path (${url.pathname})`);
}

export function checkRealtimeBaseUrl(value: unknown): void {
  if (typeof value !== 'string') throw new Error('must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('must be a URL such as https://api.openai.com/v1');
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new Error('must start with https://, http://, wss:// or ws://');
  }
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function checkHostName(value: unknown): void {
  if (typeof value !== 'string' || !(IPV4.test(value) || HOST_NAME.test(value))) {
    throw new Error('must be an IPv4 address or a host name Asterisk can resolve');
  }
}

export function checkCronExpression(value: unknown): void {
  if (value === '') return;
  if (typeof value !== 'string' || !cron.validate(value)) {
    throw new Error('must be a cron expression such as "*/5 * * * *", or empty to disable');
  }
}

export function checkIpAddress(value: unknown): void {
  if (typeof value !== 'string' || isIP(value) === 0)
    throw new Error('must be an IP address such as 0.0.0.0');
}
