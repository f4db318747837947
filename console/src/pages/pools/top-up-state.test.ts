import { openAfterClosing, topUpAppliedEarlier, topUpDismissed, topUpDone, topUpDrafted, topUpFailed, topUpOf, topUpSending, type TopUps } from './top-up-state';

const fields = { budget: '', codes: 'A\nB', pattern: '', count: '' };
const ids = (...list: string[]) => {
  let i = 0;
  return () => list[i++] ?? `spare-${i}`;
};

describe("a pool's top-up, kept by the pools page", () => {
  it("closing one pool's form leaves another pool's form open", () => {
    // A's late answer arrives while B's form is the one open.
    expect(openAfterClosing('B', 'A')).toBe('B');
    expect(openAfterClosing('A', 'A')).toBeNull();
    expect(openAfterClosing(null, 'A')).toBeNull();
  });

  it('sends the same id from a form opened again while it is on its way, and after it failed', () => {
    const draw = ids('id-1', 'id-2');
    let all: TopUps = {};
    const first = topUpOf(all, 'A', draw);
    all = { A: first };
    all = topUpSending(all, 'A', first.id, fields);
    // The form is closed (another pool's opened) and opened again: the same top-up, still on its way, with what was sent.
    expect(topUpOf(all, 'A', draw)).toEqual({ id: 'id-1', sending: true, sent: fields, draft: null, failure: null, earlier: null });
    // No answer came: the failure is kept with the id, whether or not a form is open to show it.
    const lost = new Error('no answer');
    all = topUpFailed(all, 'A', 'id-1', { error: lost, codes: fields.codes }, draw);
    expect(topUpOf(all, 'A', draw)).toEqual({ id: 'id-1', sending: false, sent: fields, draft: null, failure: { error: lost, codes: 'A\nB' }, earlier: null });
    // Cancel after reading it: the failure goes, the id stays.
    all = topUpDismissed(all, 'A');
    expect(topUpOf(all, 'A', draw)).toMatchObject({ id: 'id-1', failure: null });
  });

  it('draws a new id once the top-up was taken, or an earlier one under the id was applied', () => {
    const draw = ids('id-1', 'id-2');
    let all: TopUps = topUpSending({}, 'A', 'id-0', fields);
    all = topUpDone(all, 'A');
    expect(topUpOf(all, 'A', draw).id).toBe('id-1');
    all = topUpAppliedEarlier(topUpSending({}, 'A', 'id-0', fields), 'A', 'It was applied.', 'id-9');
    expect(topUpOf(all, 'A', draw)).toEqual({ id: 'id-9', sending: false, sent: fields, draft: null, failure: null, earlier: 'It was applied.' });
  });

  // Review 63 (console), finding 7: another pool's Top up closed the form, and what was typed in it was gone.
  it('keeps what was typed and not sent for the form opened again; Cancel drops it, and sending it makes it what was sent', () => {
    const typed = { ...fields, codes: 'NEW-1\nNEW-2' };
    let all: TopUps = { A: topUpOf({}, 'A', ids('id-1')) };
    all = topUpDrafted(all, 'A', typed);
    expect(all.A).toMatchObject({ id: 'id-1', draft: typed, sent: null });
    expect(topUpDrafted({}, 'A', typed)).toEqual({}); // no top-up open for it: nothing to keep it in
    expect(topUpDismissed(all, 'A').A.draft).toBeNull();
    all = topUpSending(all, 'A', 'id-1', typed);
    expect(all.A).toMatchObject({ sent: typed, draft: null });
  });

  it("keeps each pool's top-up apart", () => {
    const all = topUpFailed(topUpSending({}, 'A', 'a-1', fields), 'B', 'b-1', { error: 'x', codes: '' }, ids('b-0'));
    expect(all.A).toMatchObject({ id: 'a-1', sending: true });
    expect(all.B).toMatchObject({ id: 'b-1', sending: false, failure: { error: 'x' } });
    expect(topUpDismissed(all, 'A')).toBe(all); // not while it is on its way
  });
});
