import { amount } from '../../ui/numbers';

/**
 * An edge's label with what took it, counts grouped as the reader's locale
 * does ("order.completed · 1,234 taken"); a star when several transitions
 * join the same two states and share the count.
 */
export const edgeText = (label: string, count: number, shared = false) => `${label} · ${amount(count)}${shared ? '*' : ''} taken`;

/** The same for a screen reader, with the states it joins. */
export const edgeName = (source: string, target: string, label: string, count: number | null) => `${source} to ${target}: ${label}${count !== null ? `, ${amount(count)} taken` : ''}`;
