/**
 * Groundwork for the canvas (issue 15), pure and framework-free so the
 * console can import it as it is: editing moves, undo/redo, compiler path →
 * element, and the condition builder grid.
 */
export * from './definition-edits';
export * from './history';
export * from './issue-targets';
export * from './condition-grid';
export * from './triggers';
export * from './comparison';
