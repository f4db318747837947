import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CHECK_REASONS } from '../../observability/checks';

/** One dependency's check (observability/checks.ts): never a host, port or driver message. */
export const CheckResult = z.object({
  ok: z.boolean(),
  latencyMs: z.number().int(),
  reason: z
    .enum(CHECK_REASONS)
    .optional()
    .describe('Why not ok: `timeout`, `unreachable`, or `read-only` (PostgreSQL answers but refuses writes: a standby, or `default_transaction_read_only` on).'),
});

const Checks = z.object({ postgres: CheckResult, temporal: CheckResult });

export const LivenessResponse = z.object({ status: z.literal('ok') });

export const ReadinessResponse = z.object({
  status: z.enum(['ready', 'not-ready']).describe('`not-ready` (with a 503) when PostgreSQL does not answer or is read-only; Temporal is reported only.'),
  checks: Checks,
});

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']).describe('`degraded` (with a 503) when either check fails.'),
  live: z.literal(true),
  ready: z.boolean().describe('What /readyz says: PostgreSQL answers and takes writes.'),
  checks: Checks,
});

// Named in the document, so a generated client can name them.
zodToOpenAPIRegistry.add(CheckResult, { _internal: { refId: 'HealthCheck' } });
zodToOpenAPIRegistry.add(LivenessResponse, { _internal: { refId: 'LivenessResponse' } });
zodToOpenAPIRegistry.add(ReadinessResponse, { _internal: { refId: 'ReadinessResponse' } });
zodToOpenAPIRegistry.add(HealthResponse, { _internal: { refId: 'HealthResponse' } });
