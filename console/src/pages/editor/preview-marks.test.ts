import { marksFor, unmarkedWhy } from './preview-marks';

const path = [
  { from: null, to: 'collecting' },
  { from: 'collecting', to: 'nudged' },
];
const answerOf = (version: number, basedOn: 'journey' | 'campaign' = 'campaign') => ({ version, basedOn, transitions: path });

describe("a preview's path on the canvas", () => {
  it('is marked when the answer is of the version drawn and the draft is unchanged since saved', () => {
    const answer = answerOf(5);
    expect(marksFor(answer, { version: 5, unchanged: true })).toBe(answer.transitions);
    expect(unmarkedWhy(answer, { version: 5, unchanged: true })).toBeNull();
  });

  it("is not marked when the answer is another version's (the active one, or a journey's), and says whose it is", () => {
    expect(marksFor(answerOf(3), { version: 5, unchanged: true })).toBeNull();
    expect(unmarkedWhy(answerOf(3), { version: 5, unchanged: true })).toBe('This is the answer of v3 (the active version), not of v5 on the canvas: that is not previewed, so nothing is marked on it.');
    expect(marksFor(answerOf(4, 'journey'), { version: 5, unchanged: false })).toBeNull();
    expect(unmarkedWhy(answerOf(4, 'journey'), { version: 5, unchanged: false })).toBe(
      "This is the answer of v4 (the version this user's journey runs), not of your draft of v5 on the canvas: that is not previewed, so nothing is marked on it.",
    );
  });

  it('is not marked once the draft differs from the version it answers, though that is the version drawn', () => {
    expect(marksFor(answerOf(5), { version: 5, unchanged: false })).toBeNull();
    expect(unmarkedWhy(answerOf(5), { version: 5, unchanged: false })).toBe('This is the answer of v5 as saved: your changes since are not previewed, so nothing is marked on the canvas.');
  });

  it('marks nothing without an answer', () => {
    expect(marksFor(null, { version: 5, unchanged: true })).toBeNull();
  });
});
