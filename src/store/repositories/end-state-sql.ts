/**
 * SQL that holds when `state` (a column) is not an end state of the version
 * row `version` (an alias of campaign_versions): "journeys there now" leave
 * out those that ended there (funnel, live journeys, the campaigns list).
 */
export const notAnEndState = (version: string, state: string): string => `coalesce(${version}.definition #>> array['states', ${state}, 'end'], 'false') <> 'true'`;

/**
 * SQL that holds when `state` is an end state of the version row `version`;
 * false when there is no such row (a left join that found none): a state
 * the log names is taken for an end only when its version says so.
 */
export const anEndState = (version: string, state: string): string => `coalesce(${version}.definition #>> array['states', ${state}, 'end'], 'false') = 'true'`;
