import { useEffect, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { DomainIssue } from '../../../../src/domain/issues';
import { client, KairosApiError } from '../../api';
import { useSession } from '../../session';

export interface Validation {
  /** The definition these issues are about (a newer one may be on its way). */
  checked: CampaignInput | null;
  issues: DomainIssue[];
  /** What would stop activation though not a save (a reward pool that does not exist yet), at its path. */
  warnings: DomainIssue[];
  /** A failure other than the compiler's 400 (network, 5xx). */
  error: unknown;
}

const DEBOUNCE_MS = 300;
/** A check that got no answer (Kairos restarting, the network) is asked again after this long, until one comes. */
const RETRY_MS = 5000;

/**
 * Every definition shown is compiled by POST /v1/campaigns/validate, a short while after the last edit, and again
 * with a new key after Kairos refused the last one (the check it refused said nothing about the campaign).
 */
export function useValidation(def: CampaignInput | null): Validation {
  const [v, setV] = useState<Validation>({ checked: null, issues: [], warnings: [], error: null });
  const { signedIn } = useSession();
  useEffect(() => {
    if (def === null) return;
    let stale = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      client()
        .POST('/v1/campaigns/validate', { body: def as never })
        .then(({ data, error, response }) => {
          if (stale) return;
          if (response.ok) setV({ checked: def, issues: [], warnings: data?.warnings ?? [], error: null });
          else if (response.status === 400 && error) setV({ checked: def, issues: (error as { error: { details: DomainIssue[] } }).error.details, warnings: [], error: null });
          else setV({ checked: def, issues: [], warnings: [], error: new KairosApiError(response.status, error as never) });
        })
        .catch((e: unknown) => {
          if (stale) return;
          setV({ checked: def, issues: [], warnings: [], error: e });
          // No answer at all: asked again, so the badge and the banner clear once Kairos is back.
          timer = setTimeout(check, RETRY_MS);
        });
    };
    timer = setTimeout(check, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [def, signedIn]);
  return v;
}
