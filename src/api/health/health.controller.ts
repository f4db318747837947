import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { Public } from '../common/roles';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';

const CHECK_TIMEOUT_MS = 2000;

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Live while the process answers; ready (200) when PostgreSQL and Temporal both answer, else 503. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [postgres, temporal] = await Promise.all([
      check(() => this.ds.query('select 1')),
      check(() => this.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = postgres.ok && temporal.ok;
    if (!ready) void reply.status(503).header('Retry-After', '5');
    return { status: ready ? 'ok' : 'degraded', live: true, ready, checks: { postgres, temporal } };
  }
}
