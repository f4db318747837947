import { z } from 'zod';
import { AddressableId, refineWellFormedText } from '../../domain/storable';

export const UserId = AddressableId;

/** PUT /v1/users/:id: attributes merged into the stored profile; `null` removes one. */
export const PutUserBody = z
  .object({
    attributes: z
      .record(z.string().min(1, 'an attribute name may not be empty (names are 1 to 200 characters)').max(200, 'an attribute name is at most 200 characters'), z.unknown())
      .superRefine(refineWellFormedText)
      .describe('Top-level attributes replace the stored ones of the same name (objects are not merged deeply); a null value removes the attribute.'),
  })
  .strict();
export type PutUserBody = z.infer<typeof PutUserBody>;

export const UserProfileResponse = z.object({
  id: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
