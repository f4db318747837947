import { lazyClientConnection, RECONNECT_BACKOFF } from './client-connection';

describe('lazyClientConnection', () => {
  it("caps gRPC's reconnect backoff and keeps the SDK's keep-alive defaults", async () => {
    const connection = lazyClientConnection('127.0.0.1:1', { metadata: { 'x-team': 'growth' } });
    try {
      expect(connection.options.channelArgs).toMatchObject({ ...RECONNECT_BACKOFF, 'grpc.keepalive_time_ms': 30_000 });
      expect(connection.options.channelArgs['grpc.max_reconnect_backoff_ms']).toBeLessThanOrEqual(10_000);
      expect(connection.options.metadata).toMatchObject({ 'x-team': 'growth' });
    } finally {
      await connection.close();
    }
  });

  it('keeps the TLS server name the settings ask for beside the backoff', async () => {
    const connection = lazyClientConnection('127.0.0.1:1', { tls: { serverNameOverride: 'temporal.internal' } });
    try {
      expect(connection.options.channelArgs).toMatchObject({ ...RECONNECT_BACKOFF, 'grpc.ssl_target_name_override': 'temporal.internal' });
    } finally {
      await connection.close();
    }
  });
});
