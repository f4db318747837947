import { useEffect, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { DomainIssue } from '../../../../src/domain/issues';
import { client } from '../../api';
import { useSession } from '../../session';
import { checkOutcome } from './check-outcome';

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
      void checkOutcome(client().POST('/v1/campaigns/validate', { body: def as never })).then((outcome) => {
        if (stale) return;
        if (outcome.kind === 'checked') {
          setV({ checked: def, issues: outcome.issues, warnings: outcome.warnings, error: null });
          return;
        }
        setV({ checked: def, issues: [], warnings: [], error: outcome.error });
        // No answer, or one asking for a pause (503, 429): asked again, so the badge and the banner clear once Kairos is back.
        if (outcome.retryInMs !== null) timer = setTimeout(check, outcome.retryInMs);
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
