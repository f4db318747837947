/**
 * A preview answers from the version a journey runs: the running journey's
 * pinned version, else the active one. The canvas draws another thing (the
 * latest version, or a draft edited since it was saved), and states of the
 * same name there may be reached by other conditions, or not at all. So the
 * answer's path is marked on the canvas only when it is the answer of the
 * version drawn and the draft is unchanged since saved; otherwise it is said
 * whose answer it is, and nothing is marked. Pure, unit-tested.
 */

export interface PreviewSource {
  /** The plan version the answer comes from. */
  version: number;
  basedOn: 'journey' | 'campaign';
}

/** What the canvas draws: the version saved (null before the first save), and whether the draft still equals it. */
export interface Drawn {
  version: number | null;
  unchanged: boolean;
}

const answersDrawn = (answer: PreviewSource, drawn: Drawn) => drawn.unchanged && answer.version === drawn.version;

/** The answer's transitions (the very array, so a caller can key an effect on it), or null when they are not the canvas's to mark. */
export function marksFor<T extends PreviewSource & { transitions: unknown[] }>(answer: T | null, drawn: Drawn): T['transitions'] | null {
  return answer && answersDrawn(answer, drawn) ? answer.transitions : null;
}

/** Why the canvas marks nothing for `answer`, in the words shown under it; null when it marks the answer's path. */
export function unmarkedWhy(answer: PreviewSource, drawn: Drawn): string | null {
  if (answersDrawn(answer, drawn)) return null;
  if (answer.version === drawn.version) return `This is the answer of v${answer.version} as saved: your changes since are not previewed, so nothing is marked on the canvas.`;
  const whose = answer.basedOn === 'journey' ? "the version this user's journey runs" : 'the active version';
  const canvas = drawn.version === null ? 'your draft' : drawn.unchanged ? `v${drawn.version}` : `your draft of v${drawn.version}`;
  return `This is the answer of v${answer.version} (${whose}), not of ${canvas} on the canvas: that is not previewed, so nothing is marked on it.`;
}
