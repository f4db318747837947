import http from 'node:http';

export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
}

/**
 * Requests to one base URL over kept-alive connections (node:http): the
 * benchmarks' load generator. It runs in the benchmark's process, beside the
 * API it measures, so it should cost as little as it can; fetch spends
 * several times more per request on streams and abort signals.
 */
export function keepAliveClient(baseUrl: string, opts: { timeoutMs?: number } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const send = (key: string, method: string, path: string, payload: string | undefined, retried: boolean): Promise<HttpAnswer> =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = http.request(
        `${baseUrl}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${key}`,
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: parsed });
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as idle just as it was reused: Node's documented
        // remedy is to send again on a new one. Every request here is idempotent (events by id).
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') resolve(send(key, method, path, payload, true));
        else reject(err);
      });
      req.end(payload);
    });
  return {
    request: (key: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
      send(key, method, path, body !== undefined ? JSON.stringify(body) : undefined, false),
    close: () => agent.destroy(),
  };
}
