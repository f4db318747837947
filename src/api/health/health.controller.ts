import { Controller, Get, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { CHECK_TIMEOUT_MS, type CheckResult, runCheck } from '../../observability/checks';
import { PostgresProbe } from '../../observability/postgres-probe';
import { BoundedTemporalCalls } from '../common/bounded-temporal-calls';
import { ApiRoute } from '../common/api-route';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';
import { HealthResponse, LivenessResponse, ReadinessResponse } from './health.schemas';

/**
 * /livez: the process answers. /readyz: this instance can take traffic, which
 * needs PostgreSQL only (answering and taking writes): while Temporal is away ingestion still accepts into
 * the outbox, so Temporal's state is reported but does not make it unready.
 * /health: both checks, for people; 503 when either is down, with `ready`
 * as /readyz says it.
 */
/** How long /readyz waits for Temporal's answer, which it only reports. */
const READYZ_TEMPORAL_TIMEOUT_MS = 500;
/**
 * How long /readyz and /health wait for PostgreSQL, on the probe's own
 * connection (PostgresProbe: a pool taken whole by slow requests is not a
 * database that does not answer): a 503 inside an orchestrator's 1 s probe
 * timeout says more than a probe that timed out, as the worker's /readyz
 * does. One value, and one check shared by the probes that meet, so /health's
 * `ready` never disagrees with /readyz.
 */
const POSTGRES_CHECK_TIMEOUT_MS = 800;

@Controller()
export class HealthController implements OnApplicationShutdown {
  private readonly temporal: BoundedTemporalCalls;
  private readonly postgres: PostgresProbe;
  /** Temporal's check in flight for each wait (/readyz's, /health's): the probes that meet share it, as PostgreSQL's. */
  private readonly temporalInFlight = new Map<number, Promise<CheckResult>>();

  constructor(@Inject(DATA_SOURCE) ds: DataSource, @Inject(TEMPORAL_CLIENT) client: Client) {
    this.temporal = new BoundedTemporalCalls(client);
    this.postgres = new PostgresProbe(ds, POSTGRES_CHECK_TIMEOUT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.temporal.drain(), this.postgres.close()]);
  }

  @Get('livez')
  @ApiRoute({
    operationId: 'getLiveness',
    role: 'public',
    summary: "Liveness: the process answers. For an orchestrator's liveness probe.",
    success: { status: 200, schema: LivenessResponse, description: 'Alive.' },
  })
  livez() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiRoute({
    operationId: 'getReadiness',
    role: 'public',
    summary:
      'Readiness: PostgreSQL answers (503 with Retry-After when not). Temporal is reported but does not make the instance unready: ' +
      'while it is away, events are accepted into the outbox and delivered when it is back.',
    success: { status: 200, schema: ReadinessResponse, description: 'Ready for traffic.' },
    unavailable: { schema: ReadinessResponse, description: 'PostgreSQL does not answer or is read-only: `not-ready`, with the checks (and `Retry-After`); while the instance boots, `not-ready` with the boot phase in `reason` and no checks.' },
  })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply) {
    // Temporal is only reported here: its check may not hold the answer past an orchestrator's probe timeout (1 s by default).
    const { postgres, temporal } = await this.checks(READYZ_TEMPORAL_TIMEOUT_MS);
    if (!postgres.ok) void reply.status(503).header('Retry-After', '5');
    return { status: postgres.ok ? 'ready' : 'not-ready', checks: { postgres, temporal } };
  }

  @Get('health')
  @ApiRoute({
    operationId: 'getHealth',
    role: 'public',
    summary: 'PostgreSQL and Temporal checks for people (503 when either is down); reasons are `timeout`, `unreachable` or `read-only`, never driver messages.',
    success: { status: 200, schema: HealthResponse, description: 'Both answer.' },
    unavailable: { schema: HealthResponse, description: 'PostgreSQL or Temporal does not answer: `degraded`, with the checks (and `Retry-After`); while the instance boots, `starting` with the boot phase in `reason` and no checks.' },
  })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks = await this.checks(CHECK_TIMEOUT_MS);
    const healthy = checks.postgres.ok && checks.temporal.ok;
    if (!healthy) void reply.status(503).header('Retry-After', '5');
    // `ready` says what /readyz says (PostgreSQL answers), so the two never disagree about an instance taking traffic.
    return { status: healthy ? 'ok' : 'degraded', live: true, ready: checks.postgres.ok, checks };
  }

  private async checks(temporalTimeoutMs: number) {
    const [postgres, temporal] = await Promise.all([this.postgres.check(), this.checkTemporal(temporalTimeoutMs)]);
    return { postgres, temporal };
  }

  private checkTemporal(timeoutMs: number): Promise<CheckResult> {
    let check = this.temporalInFlight.get(timeoutMs);
    if (!check) {
      check = runCheck(() => this.temporal.run(timeoutMs, (c) => c.connection.workflowService.getSystemInfo({})), timeoutMs).finally(() =>
        this.temporalInFlight.delete(timeoutMs),
      );
      this.temporalInFlight.set(timeoutMs, check);
    }
    return check;
  }
}
