import { z } from 'zod';
import { INT32_MAX } from '../../domain/storable';
import type { RouteKey } from './registered-routes';

/** A version's digits as VersionText reads them (1 to INT32_MAX: the bound is in the description, a pattern cannot hold it). */
const VERSION_DIGITS = '[1-9]\\d{0,9}';

/**
 * A version in a path: text, as it arrives and as a typed client passes it
 * (an integer type would make the CLI's and the console's strings wrong), with
 * the pattern the route's parser takes; `latest` where the route reads it.
 */
const versionText = (latest: boolean) =>
  z
    .string()
    .regex(new RegExp(latest ? `^(?:${VERSION_DIGITS}|latest)$` : `^${VERSION_DIGITS}$`))
    .describe(`A stored version, 1 to ${INT32_MAX}${latest ? ', or `latest` (the newest)' : ''}.`);

/**
 * Path parameters the document types beyond "a string", by route: what each
 * route's handler parses them with (CampaignVersionsService's VersionRef and
 * VersionParam). Every other path parameter is a string.
 */
export const PATH_PARAMS: Readonly<Record<RouteKey, Readonly<Record<string, z.ZodString>>>> = {
  'GET /v1/campaigns/{key}/versions/{version}': { version: versionText(true) },
  'PUT /v1/campaigns/{key}/versions/{version}/layout': { version: versionText(false) },
};
