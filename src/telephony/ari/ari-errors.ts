// Errors from talking to Asterisk, worded for an operator.

/** Asterisk could not be reached or refused us at start-up. */
export class AriConnectError extends Error {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(`cannot use Asterisk ARI at ${url}: ${reason}`);
    this.name = 'AriConnectError';
    this.url = url;
  }
}

/** One ARI REST operation failed. */
export class AriRequestError extends Error {
  readonly operation: string;
  /** Asterisk's own message, e.g. "Channel not found". */
  readonly asteriskMessage: string;

  constructor(operation: string, asteriskMessage: string, options?: ErrorOptions) {
    super(`ARI ${operation} failed: ${asteriskMessage}`, options);
    this.name = 'AriRequestError';
    this.operation = operation;
    this.asteriskMessage = asteriskMessage;
  }

  /** The channel, bridge or playback is already gone: for teardown that is success. */
  get notFound(): boolean {
    return /not found|does not exist/i.test(this.asteriskMessage);
  }
}

/** Teardown tolerates "not found": the object is already gone, which is what we wanted. */
export async function ignoringGone(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof AriRequestError && error.notFound) return;
    throw error;
  }
}
