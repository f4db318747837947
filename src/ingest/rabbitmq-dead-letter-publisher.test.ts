import { EventEmitter } from 'node:events';
import type { ChannelModel } from 'amqplib';
import { DEAD_LETTER_ID_HEADER, DeadLetterPublisher } from './rabbitmq-dead-letter-publisher';

/** A confirm channel as amqplib's: the confirm callback is queued before the publish is encoded, which may throw. */
function fakeConnection() {
  const channels: Array<{ closed: boolean; queued: number }> = [];
  let throwNext = false;
  const connection = {
    createConfirmChannel: async () => {
      const state = { closed: false, queued: 0 };
      channels.push(state);
      return Object.assign(new EventEmitter(), {
        publish: (_x: string, _k: string, _c: Buffer, _o: unknown, confirmed: (err: unknown) => void) => {
          state.queued++;
          if (throwNext) {
            throwNext = false;
            throw new RangeError('The value of "offset" is out of range.');
          }
          setImmediate(() => confirmed(null));
          return true;
        },
        close: async () => void (state.closed = true),
      });
    },
  } as unknown as ChannelModel;
  return { connection, channels, throwOnNextPublish: () => (throwNext = true) };
}

describe('DeadLetterPublisher', () => {
  const letter = (id: string) => ({ headers: { [DEAD_LETTER_ID_HEADER]: id } });

  it('closes the channel when publish throws after queueing its confirm (later confirms would answer the publish before them), and the next letter opens another (review-51, finding 3)', async () => {
    const { connection, channels, throwOnNextPublish } = fakeConnection();
    const publisher = new DeadLetterPublisher(connection, () => undefined);
    await expect(publisher.publish('x', 'k', Buffer.from('a'), letter('1'))).resolves.toBe('routed');
    throwOnNextPublish();
    await expect(publisher.publish('x', 'k', Buffer.from('b'), letter('2'))).rejects.toThrow(/out of range/);
    expect(channels.map((c) => c.closed)).toEqual([true]);
    await expect(publisher.publish('x', 'k', Buffer.from('c'), letter('3'))).resolves.toBe('routed');
    expect(channels.map((c) => ({ closed: c.closed, queued: c.queued }))).toEqual([
      { closed: true, queued: 2 },
      { closed: false, queued: 1 },
    ]);
  });
});
