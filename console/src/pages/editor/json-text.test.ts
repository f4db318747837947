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
