import { parseJson } from './json-text';

describe('a whole number past 2^53 typed in the JSON', () => {
  const withAccount = (accountId: string) =>
    `{"key": "k", "name": "K", "entry": {"on": "order.completed"}, "initial": "s", "states": {"s": {"end": true, "actions": {"steps": [{"type": "webhook", "url": "https://hooks.example.com/in", "body": {"accountId": ${accountId}}}]}}}}`;

  it('stays text that does not become the campaign, with its path and the API\'s words, where JSON.parse rounded it to other digits', () => {
    expect(parseJson(withAccount('12345678901234567890'))).toEqual({
      ok: false,
      message: 'states.s.actions.steps[0].body.accountId: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "12345678901234567890"',
      line: null,
    });
  });

  it('is taken when the double keeps it: digits as JSON writes them (what Kairos answers), small ones, strings and decimals', () => {
    for (const fine of ['12345678901234567000', '9007199254740991', '"12345678901234567890"', '1.5e20', '-42']) {
      expect({ fine, ok: parseJson(withAccount(fine)).ok }).toEqual({ fine, ok: true });
    }
  });
});

describe('a key written twice in one object in the JSON', () => {
  const campaign = (state: string) => `{"key": "k", "name": "K", "entry": {"on": "order.completed"}, "initial": "s", "states": {"s": ${state}}}`;

  it('stays text that does not become the campaign, with its path and the API\'s words, where JSON.parse would keep the last', () => {
    // JSON.parse alone reads this as a state with the second actions only: the webhook would be dropped without a word.
    const twice = campaign(`{"end": true, "actions": {"steps": [{"type": "webhook", "url": "https://hooks.example.com/in"}]}, "actions": {"steps": []}}`);
    expect(parseJson(twice)).toEqual({
      ok: false,
      message: 'states.s.actions: the key "actions" appears twice in one object; JSON keeps only the last, so say it once',
      line: null,
    });
    // Inside a list, and spelled with an escape: the same key, at its index.
    expect(parseJson(campaign(`{"end": true, "actions": {"steps": [{"type": "points", "amount": 5, "\\u0061mount": 6}]}}`))).toMatchObject({
      ok: false,
      message: 'states.s.actions.steps[0].amount: the key "amount" appears twice in one object; JSON keeps only the last, so say it once',
    });
    expect(parseJson(`{"key": "k", "key": "k"}`)).toMatchObject({ ok: false, message: 'key: the key "key" appears twice in one object; JSON keeps only the last, so say it once' });
  });

  it('is no problem in two objects, nor as a value or a key spelled in another case', () => {
    expect(parseJson(campaign(`{"end": true, "actions": {"steps": [{"type": "points", "amount": 5}, {"type": "points", "amount": 6, "Amount": "amount"}]}}`)).ok).toBe(true);
  });
});
