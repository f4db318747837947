import { z } from 'zod';
import { hasUrlCredentials } from './url-credentials';

// Told and masked in a file of their own, which the journey machine imports without zod.
export { hasUrlCredentials, withoutCredentials } from './url-credentials';

export const URL_CREDENTIALS_MESSAGE =
  "credentials in the URL (user:password@) are refused: they would show in logs, in Temporal's history and on the support desk; receivers check the signature instead";

/** Where a webhook or a message goes: an http(s) URL without credentials. */
export const OutboundUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).refine((url) => !hasUrlCredentials(url), { error: URL_CREDENTIALS_MESSAGE });
