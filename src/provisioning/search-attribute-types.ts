/** How the Temporal CLI (`--search-attribute Name=Type`, `--type`) spells each type. */
export const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', INT: 'Int' } as const;
/** The IndexedValueType enum of Temporal's operator API. */
export const INDEXED_VALUE_TYPES = { KEYWORD: 2, INT: 3 } as const;
