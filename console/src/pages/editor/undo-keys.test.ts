import { undoKeyAction } from './undo-keys';

const press = (key: string, target: { tagName: string; isContentEditable?: boolean } | null, mods: { shift?: boolean; meta?: boolean } = {}) =>
  undoKeyAction({ key, ctrlKey: !mods.meta, metaKey: mods.meta === true, shiftKey: mods.shift === true, target });

describe('canvas undo keys', () => {
  it('undo and redo outside a text field', () => {
    expect(press('z', { tagName: 'DIV' })).toBe('undo');
    expect(press('Z', { tagName: 'DIV' }, { shift: true })).toBe('redo');
    expect(press('z', { tagName: 'BODY' }, { meta: true })).toBe('undo');
    expect(press('z', null)).toBe('undo');
  });

  it('leaves Ctrl-Z and Ctrl-Shift-Z to a CodeMirror cell (a contenteditable div), as to an input', () => {
    expect(press('z', { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(press('z', { tagName: 'DIV', isContentEditable: true }, { shift: true })).toBeNull();
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) expect(press('z', { tagName })).toBeNull();
  });

  it('leaves the draft alone while a dialog is over the page (the "Sign in again" box): a key there, or on the inert page under it', () => {
    for (const target of [{ tagName: 'BUTTON' }, { tagName: 'BODY' }, { tagName: 'DIV' }, null]) {
      expect(undoKeyAction({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, target, underDialog: true })).toBeNull();
      expect(undoKeyAction({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: true, target, underDialog: true })).toBeNull();
    }
    expect(undoKeyAction({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, target: { tagName: 'DIV' }, underDialog: false })).toBe('undo');
  });

  it('ignores other keys', () => {
    expect(press('y', { tagName: 'DIV' })).toBeNull();
    expect(undoKeyAction({ key: 'z', ctrlKey: false, metaKey: false, shiftKey: false, target: { tagName: 'DIV' } })).toBeNull();
  });
});
