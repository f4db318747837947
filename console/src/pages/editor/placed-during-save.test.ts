import { placesAfterSave } from './placed-during-save';

describe('places once a save is answered', () => {
  const kept = { x: 10, y: 10 };
  const before = { a: kept, b: { x: 0, y: 0 } };

  it('are the places saved for states left alone meanwhile', () => {
    expect(placesAfterSave({ a: { x: 10, y: 10 }, b: { x: 0, y: 0 }, c: { x: 5, y: 5 } }, before, before)).toEqual({ a: { x: 10, y: 10 }, b: { x: 0, y: 0 }, c: { x: 5, y: 5 } });
  });

  it('keep where a state was dragged while the save was on its way, and a state placed since', () => {
    const now = { a: kept, b: { x: 300, y: 40 }, d: { x: 1, y: 2 } };
    expect(placesAfterSave({ a: { x: 10, y: 10 }, b: { x: 0, y: 0 } }, before, now)).toEqual({ a: { x: 10, y: 10 }, b: { x: 300, y: 40 }, d: { x: 1, y: 2 } });
  });
});
