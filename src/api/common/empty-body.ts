import { z } from 'zod';

/** A POST that takes no fields (pause, archive, redeem): any field is a 400 at its name, not silently ignored. */
export const EmptyBody = z.object({}).strict();
