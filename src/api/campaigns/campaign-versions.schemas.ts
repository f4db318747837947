import { z } from 'zod';
import { StateName } from '../../domain/campaign/schema';
import { Int32 } from '../../domain/storable';

/**
 * A layout names at most this many nodes, or one more than the version has
 * states when that is more (every state and the entry: the canvas saves a
 * place for each state it draws). Its keys are the version's states and the
 * entry only (version-envelope.ts), so the definition's own bound (the body
 * size) bounds the row; this answers a layout of many unknown names with
 * one issue instead of one per name.
 */
export const MAX_LAYOUT_NODES = 1000;
/**
 * What one node adds to a layout as JSON beside its name: quotes, colon,
 * `{"x":…,"y":…}` and a comma, each coordinate at most 25 characters (within
 * MAX_LAYOUT_COORDINATE, as JSON writes a number). So a layout naming only
 * the states of a definition (each name is in it) and the entry weighs at most
 * the definition's bytes plus this per node.
 */
export const NODE_PLACE_BYTES = 80;
/** Canvas coordinates stay within this distance of the origin (a drawing is never that large; Infinity and 1e400 are refused). */
export const MAX_LAYOUT_COORDINATE = 1_000_000;

const Coordinate = z.number().min(-MAX_LAYOUT_COORDINATE).max(MAX_LAYOUT_COORDINATE);

/** The node the graph draws for the entry (as in the graph and the funnel). */
export const ENTRY_NODE = '(entry)';

/**
 * Where the canvas drew each node: presentation only, never part of the
 * definition, so it changes neither what the campaign does nor its plan.
 */
export const VersionLayout = z
  .record(z.union([StateName, z.literal(ENTRY_NODE)]), z.object({ x: Coordinate, y: Coordinate }).strict())
  .describe('Node positions on the canvas: state name (or `(entry)`) → `{ x, y }`. Not part of the definition: it never changes the compiled plan.')
  .meta({ examples: [{ collecting: { x: 0, y: 0 }, rewarded: { x: 0, y: 160 } }] });
export type VersionLayout = z.infer<typeof VersionLayout>;

/**
 * Fields a create or new-version request may carry beside the definition.
 * They are taken out before the definition is compiled and stored.
 */
export const VersionEnvelope = z
  .object({
    layout: VersionLayout.optional(),
    baseVersion: Int32.min(1)
      .optional()
      .describe(
        'The version this edit started from. When another version was saved since, the request is refused with 409 `version_conflict` naming the latest version. Left out: no check (as before).',
      ),
  })
  .strict();
export type VersionEnvelope = z.infer<typeof VersionEnvelope>;

/** PUT /v1/campaigns/:key/versions/:version/layout */
export const LayoutBody = z.object({ layout: VersionLayout }).strict();

export const LayoutSaved = z.object({ key: z.string(), version: z.number().int(), layout: VersionLayout });

/** GET /v1/campaigns/:key/running */
export const RunningByVersion = z.object({
  key: z.string(),
  activeVersion: z.number().int().nullable(),
  versions: z
    .array(
      z.object({
        version: z.number().int(),
        running: z
          .number()
          .int()
          .nullable()
          .describe(
            'Running journeys that entered with this version (Temporal visibility: `CampaignVersion = n AND ExecutionStatus = "Running"`); null when Temporal did not count it within the request\'s 10 s (the versions are counted 8 at a time, `total` first, then the active version, then the others newest first).',
          ),
      }),
    )
    .describe('Every version that ever took entries, oldest first.'),
  total: z.number().int().describe('Running journeys of the campaign, all versions. Always counted: when Temporal does not answer it within 10 s, the request is a 503.'),
});
export type RunningByVersion = z.infer<typeof RunningByVersion>;
