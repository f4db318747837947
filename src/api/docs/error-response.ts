import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** The body of every error answer (API.md, "Errors"). */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })),
  }),
});
// Named in the document, so a generated client can name the error body.
zodToOpenAPIRegistry.add(ErrorResponse, { _internal: { refId: 'ErrorResponse' } });
