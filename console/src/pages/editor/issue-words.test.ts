import { issueInWords, issuesInWords } from './issue-words';

describe('compiler issues in words', () => {
  it.each([
    ['name', 'expected string, received undefined', 'Give the campaign a name'],
    ['name', 'Invalid input: expected string, received undefined', 'Give the campaign a name'],
    ['name', 'Too small: expected string to have >=1 characters', 'Give the campaign a name'],
    ['key', 'Too small: expected string to have >=1 characters', 'Give the campaign a key: lowercase letters, digits and . _ -, e.g. spring-bonus'],
    ['entry.on', 'Too small: expected string to have >=1 characters', 'Name the event that starts a journey, e.g. order.completed'],
    ['exitOn[0].on', 'expected string, received undefined', 'Name the event that ends the journey, e.g. user.unsubscribed'],
    ['states.a.b.transitions[1].to', 'expected string, received undefined', 'Choose the state this transition goes to'],
    ['states.start.actions.steps[0].pool', 'expected string, received undefined', 'Choose the reward pool this step draws from'],
    ['states.start.actions.steps[1].steps[0].template', 'expected string, received undefined', 'Name the message template to send'],
    ['states.start.actions.steps[0].currency', 'expected string, received undefined', 'Give the currency of the credit, e.g. USD'],
    ['participation.frequency.per', 'expected string, received undefined', 'Give a duration, e.g. P3D (3 days) or PT3H (3 hours)'],
    ['participation.maxEntries', 'expected number, received string', 'Max entries per user must be a number'],
    ['participation.maxEntries', 'Too small: expected number to be >=1', 'Max entries per user must be at least 1'],
    ['states.s.transitions[0].split[1].weight', 'Too big: expected number to be <=100', 'A branch weight must be at most 100'],
    ['states.s.actions.steps[0].url', 'Invalid URL', 'Give a full web address, e.g. https://example.com/hook'],
    ['participation.mode', 'Invalid option: expected one of "serial"|"parallel"', 'Choose one of serial, parallel'],
    ['states.s.transitions[0].after', '"P3X" is not an ISO 8601 duration such as P3D, PT12H, PT10S, P1M or P2W', '"P3X" is not a duration: write it as P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)'],
    ['foo', 'unknown field "foo"', 'There is no field "foo" here: remove it, or check its spelling'],
    ['states.x.flag', 'expected boolean, received string', '"flag" must be yes or no (true or false)'],
    ['states.x.weird', 'expected string, received undefined', '"weird" is missing'],
  ])('%s: %s', (path, message, words) => {
    expect(issueInWords({ path, message })).toBe(words);
  });

  it('keeps the API message when its shape is not known (the compiler\'s own sentences, expression errors)', () => {
    for (const message of ['"start" has no way out: add a transition or mark it "end": true', "expected a value, found '*'", 'unknown reward pool "vip-coupons": create it first']) {
      expect(issueInWords({ path: 'states.start', message, code: 'custom' })).toBe(message);
    }
  });

  it('says an emptied field once, drops what reads the same twice, and keeps positions and paths', () => {
    const out = issuesInWords([
      { path: 'key', message: 'Too small: expected string to have >=1 characters' },
      { path: 'key', message: 'use lowercase letters, digits, and . _ -' },
      { path: 'name', message: 'expected string, received undefined' },
      { path: 'name', message: 'Invalid input: expected string, received undefined' },
      { path: 'entry.if', message: 'expected a value, found end of expression', position: 14 },
    ]);
    expect(out).toEqual([
      { path: 'key', message: 'Give the campaign a key: lowercase letters, digits and . _ -, e.g. spring-bonus' },
      { path: 'name', message: 'Give the campaign a name' },
      { path: 'entry.if', message: 'expected a value, found end of expression', position: 14 },
    ]);
    // A key that is there but badly written keeps the compiler's rule.
    expect(issuesInWords([{ path: 'key', message: 'use lowercase letters, digits, and . _ -' }])).toEqual([{ path: 'key', message: 'use lowercase letters, digits, and . _ -' }]);
  });
});
