import { compileCondition } from './index';
import { userKeysRead } from './user-keys-read';

const keysOf = (text: string) => {
  const compiled = compileCondition(text, 'audience');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return userKeysRead(compiled.value.normalized);
};

describe('userKeysRead', () => {
  it('names each top-level attribute read once, nested reads by their first key', () => {
    expect(keysOf("user.tier == 'gold' and user.address.city == 'Paris' and user.address.zip != null or user.tier == 'vip'")).toEqual(['tier', 'address']);
  });

  it('names none when the condition reads no user fact', () => {
    expect(keysOf('event.amount > 10')).toEqual([]);
  });
});
