import { sleep, upsertMemo, workflowInfo, type ActivityOptions } from '@temporalio/workflow';

/** A page lists journeys and signals each: generous timeout, retried (a journey takes the same news once). */
export const tellingProfile: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

const PAGES_PER_RUN = 50;
/** Visibility trails a start by about a second: a journey that started just before the news is listed after this. */
const VISIBILITY_LAG = '3 seconds';

export interface TellingCarried {
  pageToken: string;
  told: number;
}

/**
 * Tells a campaign's running journeys something, page by page through
 * visibility (`tellPage` lists one page and signals each), handing over to
 * a new run (`continueWith`) every PAGES_PER_RUN pages or when Temporal
 * suggests it. Shared by the archive and schedule notices.
 */
export async function tellInPages(
  carried: TellingCarried | undefined,
  tellPage: (pageToken: string | null, page: number) => Promise<{ told: number; nextPageToken: string | null }>,
  continueWith: (carried: TellingCarried) => Promise<never>,
  progress: (told: number) => string = (told) => `${told} journeys told`,
): Promise<{ told: number }> {
  let told = carried?.told ?? 0;
  let pageToken: string | null = carried?.pageToken ?? null;
  if (!carried) await sleep(VISIBILITY_LAG);
  for (let page = 0; ; page++) {
    if (pageToken !== null && (page >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueWith({ pageToken, told });
    }
    const result = await tellPage(pageToken, page);
    told += result.told;
    upsertMemo({ progress: progress(told) });
    if (result.nextPageToken === null) return { told };
    pageToken = result.nextPageToken;
  }
}
