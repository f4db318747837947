/**
 * A campaign as it could be saved before webhook URLs with credentials were
 * refused by the schema (dd77c32a): stored versions like it still run, and
 * must compile as they were accepted (review-62, finding 1). `key` is the
 * caller's.
 */
export function credentialedHook(key = 'hook') {
  return {
    key,
    name: key[0].toUpperCase() + key.slice(1),
    entry: { on: 'order.completed' },
    initial: 'waiting',
    states: {
      waiting: { transitions: [{ to: 'done', on: 'order.shipped' }] },
      done: { actions: { steps: [{ type: 'webhook', url: 'https://user:s3cret@hooks.example.com/kairos' }] }, end: true },
    },
  };
}
