/**
 * `JourneyGateway.bounded` as the real one behaves, for services' unit tests:
 * the call fails with the client's deadline error (gRPC DEADLINE_EXCEEDED,
 * naming the server it reached) when its time is up.
 */
export function boundedLikeTheGateway<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('Deadline exceeded,remote_addr=127.0.0.1:7233'), { code: 4 })), ms);
    fn().then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
