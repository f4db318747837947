import { heldEmptyText } from './held-empty';

describe('what an empty page of held steps says', () => {
  it('says nothing is held only on the first page; a later page that empties points back to the first', () => {
    expect(heldEmptyText(false)).toMatch(/^Nothing is held: /);
    expect(heldEmptyText(true)).not.toMatch(/^Nothing is held/);
    expect(heldEmptyText(true)).toMatch(/First page/);
  });
});
