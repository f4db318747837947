import { z } from 'zod';
import { PoolResponse } from './pools.schemas';

export const PoolListResponse = z.object({ pools: z.array(PoolResponse).describe('Every pool (at most 500), oldest first, each as GET /v1/pools/{key} shows it.') });
export type PoolListResponse = z.infer<typeof PoolListResponse>;
