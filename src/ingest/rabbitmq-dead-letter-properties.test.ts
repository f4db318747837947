import type { MessageProperties } from 'amqplib';
import { deadLetterProperties, encodedHeaderBytes, MAX_HEADER_BYTES } from './rabbitmq-dead-letter-properties';

const properties = (overrides: Partial<MessageProperties>): MessageProperties =>
  ({ contentType: 'application/json', contentEncoding: undefined, headers: {}, deliveryMode: 2, priority: undefined, correlationId: 'c-1', replyTo: undefined, expiration: undefined, messageId: 'm-1', timestamp: undefined, type: undefined, userId: undefined, appId: 'shop', clusterId: undefined, ...overrides }) as MessageProperties;

const ours = { 'x-kairos-reason': 'the message is not JSON', 'x-kairos-source': 'orders', 'x-kairos-dead-letter-id': 'd-1' };

describe('deadLetterProperties', () => {
  it("keeps the message's properties and headers, but not its expiration, and carries its user_id in a header (review-51, finding 1)", () => {
    const dead = deadLetterProperties(properties({ headers: { trace: 't-1' }, expiration: '60000', userId: 'shop' }), ours);
    expect(dead).toEqual(expect.objectContaining({ contentType: 'application/json', correlationId: 'c-1', messageId: 'm-1', appId: 'shop', deliveryMode: 2 }));
    expect(dead).not.toHaveProperty('expiration');
    expect(dead).not.toHaveProperty('userId');
    expect(dead.headers).toEqual({ trace: 't-1', ...ours, 'x-kairos-original-user-id': 'shop' });
  });

  it("Kairos's headers win over the publisher's of the same name", () => {
    expect(deadLetterProperties(properties({ headers: { 'x-kairos-reason': 'forged' } }), ours).headers['x-kairos-reason']).toBe('the message is not JSON');
  });

  it("leaves out the publisher's headers when with Kairos's they are more than amqplib encodes, and says how large they were (review-51, finding 3)", () => {
    // What an amqplib publisher can send (just under 64 KiB), with a reason of 2,000 characters beside it: past the limit.
    const big = { big: 'x'.repeat(65_300) };
    const theirs = encodedHeaderBytes(big)!;
    expect(theirs).toBeLessThanOrEqual(MAX_HEADER_BYTES);
    const reason = { ...ours, 'x-kairos-reason': 'r'.repeat(2_000) };
    expect(encodedHeaderBytes({ ...big, ...reason })!).toBeGreaterThan(MAX_HEADER_BYTES);
    const dead = deadLetterProperties(properties({ headers: big, userId: 'shop' }), reason);
    expect(dead.headers).toEqual({ ...reason, 'x-kairos-original-user-id': 'shop', 'x-kairos-headers-omitted': `${theirs} bytes of headers, too large to copy with the reason` });
    expect(encodedHeaderBytes(dead.headers)!).toBeLessThanOrEqual(MAX_HEADER_BYTES);
  });

  it('says so too when the headers are larger than it can weigh', () => {
    const dead = deadLetterProperties(properties({ headers: { big: 'x'.repeat(5 * MAX_HEADER_BYTES) } }), ours);
    expect(dead.headers['x-kairos-headers-omitted']).toBe(`more than ${4 * MAX_HEADER_BYTES} bytes (or values amqplib cannot encode) of headers, too large to copy with the reason`);
  });
});
