import { createHash } from 'node:crypto';
import { journeyWorkflowId } from '../workflows/journey/contract';

/**
 * The longest workflow id Temporal stores on PostgreSQL or MySQL (its
 * executions tables hold `workflow_id varchar(255)`, counted in characters);
 * the SQLite dev server holds longer ones, so tests alone would not see it.
 */
export const MAX_WORKFLOW_ID_CHARS = 255;

/** Characters of the digest that stands for a long user id: base64url of SHA-256, 192 bits. */
const DIGEST_CHARS = 32;

/**
 * The journey's workflow id: `journey:<campaign>:<user>`, one per campaign
 * and user. With a campaign key of up to 100 characters and a user id of up
 * to 200, that can reach 309: when it would pass MAX_WORKFLOW_ID_CHARS, the
 * user id is cut to what fits beside `~` and a digest of the whole user id
 * (review-58-inputs finding 1: such a start failed at Temporal on every try,
 * read as Temporal being away, and its delivery was retried for good).
 * Ids that fit are unchanged. Nothing reads the user back from the id: the
 * journey's UserId search attribute and its input carry it whole.
 */
export function journeyIdOf(campaignKey: string, userId: string): string {
  const plain = journeyWorkflowId(campaignKey, userId);
  if (charCount(plain) <= MAX_WORKFLOW_ID_CHARS) return plain;
  const digest = createHash('sha256').update(userId, 'utf8').digest('base64url').slice(0, DIGEST_CHARS);
  const head = journeyWorkflowId(campaignKey, '');
  const room = MAX_WORKFLOW_ID_CHARS - charCount(head) - 1 - DIGEST_CHARS;
  return `${head}${[...userId].slice(0, room).join('')}~${digest}`;
}

/** Characters as PostgreSQL counts them: code points, a surrogate pair one. */
const charCount = (text: string): number => [...text].length;
