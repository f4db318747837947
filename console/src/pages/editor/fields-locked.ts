import { createContext, useContext } from 'react';

/**
 * The side panels are locked while the JSON or YAML tab holds text that does
 * not parse: an edit there would rewrite the text from the campaign and drop
 * what was typed. Their `<fieldset disabled>` locks the form controls; a
 * condition or amount cell (CodeMirror, a contenteditable) is no form
 * control, so it reads this and turns read-only itself.
 */
export const FieldsLocked = createContext(false);

export const useFieldsLocked = () => useContext(FieldsLocked);
