import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiErrorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

// The body the real API returns for a wrong key; the key is shown masked.
export function invalidApiKeyBody(presented: string | undefined): OpenAiErrorBody {
  if (!presented) {
    return openAiErrorBody(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
      null,
    );
  }
  const masked =
    presented.length > 8
      ? `${presented.slice(0, 3)}${'*'.repeat(presented.length - 7)}${presented.slice(-4)}`
      : '****';
  return openAiErrorBody(
    `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  );
}

export function defaultRejectionBody(status: number): OpenAiErrorBody {
  if (status === 429)
    return openAiErrorBody('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded');
  if (status >= 500) {
    return openAiErrorBody(
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
    );
  }
  return openAiErrorBody(STATUS_CODES[status] ?? 'Request rejected.', 'invalid_request_error', null);
}

// Answers an upgrade request with a plain HTTP response, as a server refusing the WebSocket does.
export function writeUpgradeRejection(socket: Duplex, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${text}`, () => socket.destroy());
}
