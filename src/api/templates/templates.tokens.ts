/** The templates loaded at boot. */
export const TEMPLATES = Symbol('TEMPLATES');
