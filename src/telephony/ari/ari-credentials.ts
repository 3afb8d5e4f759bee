// Where ARI is and how we authenticate, shared by the REST client and the events socket.

export interface AriCredentials {
  /** Asterisk's HTTP server root, e.g. http://asterisk:8088. */
  origin: string;
  username: string;
  password: string;
}

/** ARI_URL may be given with or without /ari; ari-client wants the server root. */
export function ariOrigin(url: string): string {
  return new URL(url).origin;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
