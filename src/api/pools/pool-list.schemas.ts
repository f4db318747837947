import { z } from 'zod';
import { PoolResponse } from './pools.schemas';

export const PoolListResponse = z.object({
  pools: z.array(PoolResponse).describe('Every pool (the oldest 500 when there are more), oldest first, each as GET /v1/pools/{key} shows it without its top-ups.'),
  total: z.number().int().describe('How many pools there are: more than `pools` lists when past 500.'),
});
export type PoolListResponse = z.infer<typeof PoolListResponse>;
