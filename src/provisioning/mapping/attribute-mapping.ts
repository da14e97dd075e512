import { z } from 'zod';
import { MAX_EXPRESSION_LENGTH } from './expression/index.ts';

/**
 * A provisioning's field mapping, as stored and as the admin API takes it: for each target
 * attribute, where its value comes from (Entra's three mapping types: direct attribute, constant,
 * expression), when it is applied and what to send when the source gives null. The schema checks
 * only the shape; `compileMapping` checks meaning (paths, types, what the target profile accepts).
 * @see REFERENCE.md §2 ("Mapping types")
 */

const MAX_PATH_LENGTH = 1_000;
const MAX_MAPPINGS = 200;

/** A SCIM attribute path (RFC 7644 §3.5.2 PATH), or a source alias such as `mail`. */
const PathSchema = z
  .string({ error: 'must be an attribute path' })
  .trim()
  .min(1, 'must be an attribute path')
  .max(MAX_PATH_LENGTH, `must have at most ${MAX_PATH_LENGTH} characters`);

/** A scalar as JSON carries it; what a constant or default may be. */
export const MappingScalarSchema = z.union([z.string(), z.number().finite(), z.boolean(), z.null()], {
  error: 'must be a string, a number, true, false or null',
});

export type MappingScalar = z.infer<typeof MappingScalarSchema>;

export const MappingSourceSchema = z.discriminatedUnion(
  'kind',
  [
    /** Direct: the source attribute's value (Entra's "Direct" mapping). */
    z.object({ kind: z.literal('attribute'), path: PathSchema }),
    /** The same value for everyone. */
    z.object({ kind: z.literal('constant'), value: MappingScalarSchema }),
    /** An expression in the language of `./expression/index.ts`. */
    z.object({
      kind: z.literal('expression'),
      text: z
        .string({ error: 'must be an expression' })
        .min(1, 'must be an expression')
        .max(MAX_EXPRESSION_LENGTH, `must have at most ${MAX_EXPRESSION_LENGTH} characters`),
    }),
  ],
  { error: 'must have kind "attribute", "constant" or "expression"' },
);

export type MappingSource = z.infer<typeof MappingSourceSchema>;

export const AttributeMappingSchema = z.object({
  /** A SCIM path on the target: `userName`, `name.givenName`, `emails[type eq "work"].value`, … */
  target: PathSchema,
  source: MappingSourceSchema,
  /** `on-create`: written when the account is created, never on update (Entra's "Only during creation"). */
  apply: z.enum(['always', 'on-create'], { error: 'must be "always" or "on-create"' }).default('always'),
  /** Sent when the source gives null (Entra's "Default value if null"). */
  defaultValue: MappingScalarSchema.optional(),
});

export type AttributeMapping = z.infer<typeof AttributeMappingSchema>;
/** What callers may write: `apply` may be left out. */
export type AttributeMappingInput = z.input<typeof AttributeMappingSchema>;

export const AttributeMappingListSchema = z
  .array(AttributeMappingSchema)
  .max(MAX_MAPPINGS, `must have at most ${MAX_MAPPINGS} mappings`);

/**
 * A provisioning's mapping: users, and groups (`displayName`, `externalId`; `members` is written by
 * the engine from links, never by a mapping). Absent groups means groups are not mapped.
 */
export const MappingSchema = z.object({
  user: AttributeMappingListSchema,
  group: AttributeMappingListSchema.default([]),
});

export type Mapping = z.infer<typeof MappingSchema>;
