import { z } from "zod";

/**
 * The shape of an xAPI 1.0.3 statement as Lectern sends it and the test LRS (dev/lrs-server.ts) checks it: an
 * Agent actor with exactly one identifier, a verb, an Activity object, optional result and context. Not the whole
 * specification (no groups, sub-statements or attachments), but everything it says about these properties.
 */

const iri = z.url({ message: "must be an IRI" });
const languageTag = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
export const languageMapSchema = z.record(z.string().regex(languageTag, "keys must be RFC 5646 language tags"), z.string());
export const extensionsSchema = z.record(iri, z.unknown());

/** ISO 8601 durations as xAPI uses them (PT218S, PT1H2M3.5S, P1D). */
const ISO_DURATION = /^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;

export const agentSchema = z
  .object({
    objectType: z.literal("Agent").optional(),
    name: z.string().optional(),
    mbox: z.string().regex(/^mailto:[^@\s]+@[^@\s]+$/, "mbox must be a mailto: IRI").optional(),
    mbox_sha1sum: z.string().regex(/^[0-9a-f]{40}$/, "mbox_sha1sum must be 40 hex digits").optional(),
    openid: iri.optional(),
    account: z.object({ homePage: iri, name: z.string().min(1) }).strict().optional(),
  })
  .strict()
  .refine((agent) => [agent.mbox, agent.mbox_sha1sum, agent.openid, agent.account].filter((value) => value !== undefined).length === 1, {
    message: "An Agent has exactly one identifier: mbox, mbox_sha1sum, openid or account.",
  });

export const activitySchema = z
  .object({
    objectType: z.literal("Activity").optional(),
    id: iri,
    definition: z
      .object({
        name: languageMapSchema.optional(),
        description: languageMapSchema.optional(),
        type: iri.optional(),
        moreInfo: iri.optional(),
        extensions: extensionsSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const resultSchema = z
  .object({
    score: z.object({ scaled: z.number().min(-1).max(1).optional(), raw: z.number().optional(), min: z.number().optional(), max: z.number().optional() }).strict().optional(),
    success: z.boolean().optional(),
    completion: z.boolean().optional(),
    response: z.string().optional(),
    duration: z.string().regex(ISO_DURATION, "duration must be an ISO 8601 duration").optional(),
    extensions: extensionsSchema.optional(),
  })
  .strict();

export const contextSchema = z
  .object({
    registration: z.uuid().optional(),
    contextActivities: z
      .object({
        parent: z.array(activitySchema).optional(),
        grouping: z.array(activitySchema).optional(),
        category: z.array(activitySchema).optional(),
        other: z.array(activitySchema).optional(),
      })
      .strict()
      .optional(),
    revision: z.string().optional(),
    platform: z.string().optional(),
    language: z.string().regex(languageTag, "language must be an RFC 5646 tag").optional(),
    extensions: extensionsSchema.optional(),
  })
  .strict();

export const statementSchema = z
  .object({
    id: z.uuid(),
    actor: agentSchema,
    verb: z.object({ id: iri, display: languageMapSchema.optional() }).strict(),
    object: activitySchema,
    result: resultSchema.optional(),
    context: contextSchema.optional(),
    timestamp: z.iso.datetime({ offset: true }),
    // Set by the LRS; a client may send version.
    version: z.string().regex(/^1\.0(\.\d+)?$/, "version must be 1.0.x").optional(),
  })
  .strict();
export type XapiStatement = z.infer<typeof statementSchema>;
