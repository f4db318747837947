import { z } from 'zod';

const Role = z.enum(['ingest', 'support', 'operator', 'admin']);

export const WhoamiResponse = z.object({
  role: Role.describe("The key's role."),
  may: z.array(Role).describe("Every role whose routes this key may call (API.md, \"Auth\"): the console shows what these allow and hides the rest."),
});
export type WhoamiResponse = z.infer<typeof WhoamiResponse>;
