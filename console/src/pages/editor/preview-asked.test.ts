import { askedWords, shownPreview } from './preview-asked';

const asked = { userId: 'u-1', type: 'order.completed', props: '{"amount": 25}' };
const kept = { asked, answer: { transitions: [{ from: null, to: 'collecting' }] } };

describe("the preview's answer, and the fields it answers", () => {
  it('is shown while the fields say what it was asked with (blanks round the properties aside)', () => {
    expect(shownPreview(kept, { ...asked })).toBe(kept);
    expect(shownPreview(kept, { ...asked, props: ' {"amount": 25} ' })).toBe(kept);
    expect(shownPreview(null, asked)).toBeNull();
  });

  it('is put away once the user, the event type or the properties say something else', () => {
    expect(shownPreview(kept, { ...asked, userId: 'u-2' })).toBeNull();
    expect(shownPreview(kept, { ...asked, type: 'post.created' })).toBeNull();
    expect(shownPreview(kept, { ...asked, props: '{"amount": 5}' })).toBeNull();
  });

  it('is headed by the user and event it is for', () => {
    expect(askedWords(asked)).toBe('For u-1, order.completed {"amount": 25}');
    expect(askedWords({ userId: 'pia', type: 'post.created', props: '{}' })).toBe('For pia, post.created');
    expect(askedWords({ userId: 'pia', type: 'post.created', props: '' })).toBe('For pia, post.created');
  });
});
