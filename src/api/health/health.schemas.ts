import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { BootPhase } from '../../observability/boot-phase';
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

/** Every BootPhase, once: the compiler holds this list to the type the boot reports. */
const BOOT_PHASES: { [P in BootPhase]: P } = { connecting: 'connecting', 'search-attributes': 'search-attributes', migrating: 'migrating', starting: 'starting' };

/**
 * What a booting instance is doing (observability/boot-phase.ts): its port
 * answers from the first moment of the boot, before it checks anything, so
 * its 503s carry this instead of `checks` (api/health/boot-listener.ts).
 */
const BootReason = z
  .enum(BOOT_PHASES)
  .describe(
    'Only while the instance boots, in place of `checks`: `connecting` (to PostgreSQL and Temporal), `search-attributes` (waiting for Temporal to have them), `migrating` (the schema, or waiting for another instance that does; can take minutes), `starting` (creating the HTTP application).',
  );

const BootChecks = Checks.optional().describe('Absent while the instance boots (then `reason` says what it does): nothing is checked before it serves.');

export const LivenessResponse = z.object({ status: z.literal('ok') });

export const ReadinessResponse = z.object({
  status: z
    .enum(['ready', 'not-ready'])
    .describe('`not-ready` (with a 503) when PostgreSQL does not answer or is read-only, or while the instance boots; Temporal is reported only.'),
  reason: BootReason.optional(),
  checks: BootChecks,
});

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded', 'starting']).describe('`degraded` (with a 503) when either check fails; `starting` (with a 503) while the instance boots.'),
  live: z.literal(true),
  ready: z.boolean().describe('What /readyz says: PostgreSQL answers and takes writes (false while the instance boots).'),
  reason: BootReason.optional(),
  checks: BootChecks,
});

// Named in the document, so a generated client can name them.
zodToOpenAPIRegistry.add(CheckResult, { _internal: { refId: 'HealthCheck' } });
zodToOpenAPIRegistry.add(LivenessResponse, { _internal: { refId: 'LivenessResponse' } });
zodToOpenAPIRegistry.add(ReadinessResponse, { _internal: { refId: 'ReadinessResponse' } });
zodToOpenAPIRegistry.add(HealthResponse, { _internal: { refId: 'HealthResponse' } });
