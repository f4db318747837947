/** A port this process cannot listen on, said with the variable that sets it: configuration to change, exit code 2. */
export class PortUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortUnavailableError';
  }
}

/**
 * A listen that failed for its port, said with the variable that sets the
 * port (or the HOST it listens on: no address of the machine, or a name that
 * does not resolve): "listen EADDRINUSE: address already in use
 * 0.0.0.0:9464" names neither what to change nor where. Any other error is
 * given back as it was.
 */
export function explainListenError(err: unknown, variable: string, port: number, host?: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const setHost = 'set HOST to one of its addresses, 0.0.0.0 for all, or 127.0.0.1';
  if (code === 'EADDRNOTAVAIL' && host !== undefined) {
    return new PortUnavailableError(`HOST=${host} is no address of this machine, so port ${port} (${variable}) cannot be listened on there: ${setHost}`);
  }
  // A HOST given as a name is looked up at listen (getaddrinfo), not when the configuration is read: a name this
  // machine cannot resolve fails here, and is as much the HOST setting as an address it does not have.
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') && host !== undefined) {
    const why = code === 'EAI_AGAIN' ? 'could not be resolved now (the DNS did not answer)' : 'cannot be resolved to an address';
    return new PortUnavailableError(`HOST=${host} ${why}, so port ${port} (${variable}) cannot be listened on there: ${setHost} (an IP address needs no lookup)`);
  }
  if (code === 'EADDRINUSE') return new PortUnavailableError(`port ${port} (${variable}) is already in use: stop what listens there, or set ${variable} to a free port`);
  if (code === 'EACCES') return new PortUnavailableError(`port ${port} (${variable}) needs privileges this process does not have: set ${variable} to a port above 1023`);
  return err;
}
