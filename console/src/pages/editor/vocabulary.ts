import { useEffect, useState } from 'react';
import type { Vocabulary } from '../../../../src/domain/canvas/expression-assist';
import { client, unwrap } from '../../api';

/** Read once per page load: names seen in recent data change slowly, and completion must not wait on the network per keystroke. */
let cached: Promise<Vocabulary> | null = null;

function load(): Promise<Vocabulary> {
  cached ??= unwrap(client().GET('/v1/vocabulary')).catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** The vocabulary for completion from GET /v1/vocabulary; null until it comes (or when the key may not read it). */
export function useVocabulary(): Vocabulary | null {
  const [v, setV] = useState<Vocabulary | null>(null);
  useEffect(() => {
    let live = true;
    load().then((x) => live && setV(x), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return v;
}

/** The datalist (rendered by CampaignPanels) of event types seen in recent events, suggested in the editor's event-type fields. */
export const EVENT_TYPES_LIST = 'kairos-event-types';
