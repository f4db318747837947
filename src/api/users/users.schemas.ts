import { z } from 'zod';
import { MAX_LISTED_ISSUES } from '../../domain/issues';
import { AddressableId, refineWellFormedText } from '../../domain/storable';

export const UserId = AddressableId;

const MAX_ATTRIBUTE_NAME = 200;

/**
 * Every attribute name out of bounds and every value that cannot be stored,
 * in one pass. The name bounds are checked here rather than in the record's
 * key schema: zod skips a refinement once the key schema has failed, so a bad
 * name hid every unstorable value until it was mended. The messages and
 * paths are those the key schema gave (an empty name at the record itself:
 * `attributes.` names nothing a client can find in its body).
 */
function refineAttributes(attributes: Record<string, unknown>, ctx: z.RefinementCtx): void {
  let named = 0;
  for (const name of Object.keys(attributes)) {
    if (name === '') ctx.addIssue({ code: 'custom', path: [], message: `invalid key: an attribute name may not be empty (names are 1 to ${MAX_ATTRIBUTE_NAME} characters)` });
    else if (name.length > MAX_ATTRIBUTE_NAME) ctx.addIssue({ code: 'custom', path: [name], message: `invalid key: an attribute name is at most ${MAX_ATTRIBUTE_NAME} characters` });
    else continue;
    named++;
  }
  // What the names left of the listed problems, so the values' own count of the rest is the one a 400 shows.
  refineWellFormedText(attributes, ctx, MAX_LISTED_ISSUES - named);
}

/** PUT /v1/users/:id: attributes merged into the stored profile; `null` removes one. */
export const PutUserBody = z
  .object({
    attributes: z
      .record(z.string(), z.unknown())
      .superRefine(refineAttributes)
      .describe('Top-level attributes replace the stored ones of the same name (objects are not merged deeply); a null value removes the attribute. A name is 1 to 200 characters.'),
  })
  .strict();
export type PutUserBody = z.infer<typeof PutUserBody>;

export const UserProfileResponse = z.object({
  id: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
