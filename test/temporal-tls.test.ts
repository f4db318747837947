import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startSystem } from '../src/system';
import { retentionScheduleId, retentionWorkflow } from '../src/workflows/retention.workflow';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const SERVER_NAME = 'temporal.kairos.test';

/**
 * The dev server speaks plaintext only: this proxy terminates mutual TLS in
 * front of it (HTTP/2 by ALPN, as gRPC wants) and records who connected.
 */
async function startTlsProxy(target: { host: string; port: number }, file: (f: string) => string) {
  const clients: string[] = [];
  const server = tls.createServer(
    { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      clients.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = net.connect(target.port, target.host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, clients, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Temporal over mutual TLS: the settings reach every connection the worker process makes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-tls-'));
  let file: (f: string) => string;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  let db: TestDatabase;
  let plain: Connection;
  const taskQueue = `kairos-tls-${process.pid}`;
  const [host, port] = process.env.KAIROS_TEST_TEMPORAL_ADDRESS!.split(':');

  beforeAll(async () => {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Kairos test CA');
    for (const [name, subject, ext] of [
      ['server', `/CN=${SERVER_NAME}`, `subjectAltName=DNS:${SERVER_NAME}`],
      ['client', '/CN=kairos-client', 'extendedKeyUsage=clientAuth'],
    ]) {
      run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      writeFileSync(path.join(dir, `${name}.ext`), `${ext}\n`);
      run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    }
    file = (f: string) => path.join(dir, f);
    proxy = await startTlsProxy({ host, port: Number(port) }, file);
    db = await createTestDatabase();
    plain = await Connection.connect({ address: process.env.KAIROS_TEST_TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await plain?.close();
    await db?.drop();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`,
    DATABASE_URL: db.url,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key'),
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    ...extra,
  });

  it('boots the worker through the proxy with the client certificate, and the worker runs workflows over it', async () => {
    const system = await startSystem(loadConfig(env()), { api: false, worker: true, embedded: false }, createLogger('silent'));
    try {
      // Search-attribute setup, the client, and the worker's native connection each came with the client certificate.
      expect(proxy.clients.length).toBeGreaterThanOrEqual(3);
      expect(new Set(proxy.clients)).toEqual(new Set(['kairos-client']));
      // The client reached the server: the retention Schedule it created is there.
      const client = new Client({ connection: plain, namespace: 'default' });
      await expect(client.schedule.getHandle(retentionScheduleId(taskQueue)).describe()).resolves.toBeDefined();
      // The worker polls through TLS: a workflow on its task queue completes.
      const report = await client.workflow.execute(retentionWorkflow, {
        taskQueue,
        workflowId: `tls-retention-${taskQueue}`,
        args: [{ version: 1, windows: { deliveriesDays: 30, eventsDays: 90, messagesDays: 180, journeyLogDays: 400 }, batchSize: 10 }],
      });
      expect(report.events).toEqual({ batches: 1, deleted: 0, largestBatch: 0 });
      await client.schedule.getHandle(retentionScheduleId(taskQueue)).delete();
    } finally {
      await system.stop();
    }
  });

  it('does not reach the cluster without the client certificate, nor without the CA', async () => {
    const withoutCert = env({ TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' });
    await expect(startSystem(loadConfig(withoutCert), { api: false, worker: true, embedded: false }, createLogger('silent'))).rejects.toThrow();
    const withoutCa = env({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '' });
    await expect(startSystem(loadConfig(withoutCa), { api: false, worker: true, embedded: false }, createLogger('silent'))).rejects.toThrow();
  });
});
