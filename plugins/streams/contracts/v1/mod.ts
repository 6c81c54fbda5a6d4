/**
 * Version 1 of the `streams-api` management contract: list the streams a
 * store holds and inspect one, with its size, offsets and idempotent
 * producers, or its newest appends. The data itself is read and written with the Durable Streams
 * protocol at `/v1/stream/*`, which this contract does not describe.
 *
 * @module
 */
import type { ContractProcedure } from "@orpc/contract";
import { baseContract, type CommonErrorMap, type QueryIntegerSchema } from "@netscript/contracts";
import { z } from "zod";

/** An idempotent producer of a stream, as `streams-api` reports it. */
export const ProducerSchema: z.ZodObject<{
  id: z.ZodString;
  epoch: z.ZodNumber;
  seq: z.ZodNumber;
  updatedAt: z.ZodISODateTime;
}> = z.object({
  id: z.string().describe("The Producer-Id"),
  epoch: z.number().int().min(0).describe("The producer's current epoch"),
  seq: z.number().int().min(0).describe("The sequence number of its last accepted append"),
  updatedAt: z.iso.datetime().describe("When it last appended"),
});

/** A stream as the list returns it. */
export const TopicSchema: z.ZodObject<{
  name: z.ZodString;
  contentType: z.ZodString;
  declaredBy: z.ZodNullable<z.ZodString>;
  createdAt: z.ZodISODateTime;
  closed: z.ZodBoolean;
  bytes: z.ZodNumber;
  appends: z.ZodNumber;
  firstOffset: z.ZodString;
  nextOffset: z.ZodString;
  ttlSeconds: z.ZodNullable<z.ZodNumber>;
  expiresAt: z.ZodNullable<z.ZodISODateTime>;
  forkedFrom: z.ZodNullable<z.ZodString>;
}> = z.object({
  name: z.string().describe("The stream's name: its URL is /v1/stream/{name}"),
  contentType: z.string(),
  declaredBy: z.string().nullable().describe(
    "The plugin that declares it as a topic, or null for a stream created over the protocol",
  ),
  createdAt: z.iso.datetime(),
  closed: z.boolean().describe("true once the stream accepts no more appends"),
  bytes: z.number().int().min(0).describe("The bytes the store holds for it"),
  appends: z.number().int().min(0).describe("The appends the store holds for it"),
  firstOffset: z.string().describe("The oldest offset still readable (retention drops older data)"),
  nextOffset: z.string().describe("The offset the next append gets"),
  ttlSeconds: z.number().int().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  forkedFrom: z.string().nullable().describe("The name of the stream it was forked from"),
});

/** A stream with its idempotent producers. */
export const TopicDetailsSchema: z.ZodObject<
  typeof TopicSchema.shape & { producers: z.ZodArray<typeof ProducerSchema> }
> = TopicSchema.extend({ producers: z.array(ProducerSchema) });

/** The query of `GET /api/topics`. */
export const ListTopicsSchema: z.ZodObject<{
  limit: QueryIntegerSchema;
  after: z.ZodOptional<z.ZodString>;
  prefix: z.ZodOptional<z.ZodString>;
}> = z.object({
  limit: z.coerce.number<number | string>().int().min(1).max(200).default(50),
  after: z.string().min(1).optional().describe(
    "Continue after this name (the previous page's next)",
  ),
  prefix: z.string().min(1).optional().describe("Only names that start with this"),
});

/** One page of streams. */
export const TopicPageSchema: z.ZodObject<{
  items: z.ZodArray<typeof TopicSchema>;
  next: z.ZodNullable<z.ZodString>;
}> = z.object({
  items: z.array(TopicSchema),
  next: z.string().nullable().describe("Pass as after for the next page; null on the last page"),
});

/** A stream name in the path. */
export const TopicNameSchema: z.ZodObject<{ name: z.ZodString }> = z.object({
  name: z.string().min(1),
});

/** The path and query of `GET /api/topics/{name}/tail`. */
export const TopicTailQuerySchema: z.ZodObject<{
  name: z.ZodString;
  limit: QueryIntegerSchema;
}> = z.object({
  name: z.string().min(1),
  limit: z.coerce.number<number | string>().int().min(1).max(100).default(20).describe(
    "How many of the newest appends to return",
  ),
});

/** One append of a stream, as its tail shows it. */
export const AppendPreviewSchema: z.ZodObject<{
  offset: z.ZodString;
  committedAt: z.ZodISODateTime;
  messages: z.ZodNumber;
  preview: z.ZodString;
}> = z.object({
  offset: z.string().describe("The offset of the append's first message or byte"),
  committedAt: z.iso.datetime().describe("When the append was committed"),
  messages: z.number().int().min(1).describe(
    "The positions the append covers: messages for a JSON stream, bytes otherwise",
  ),
  preview: z.string().describe(
    'The append\'s text, cut to 500 characters with "…" when longer (a JSON stream\'s append is the JSON array of its messages); "<N bytes>" for other content types',
  ),
});

/** The newest appends of a stream. */
export const TopicTailSchema: z.ZodObject<{ items: z.ZodArray<typeof AppendPreviewSchema> }> = z
  .object({
    items: z.array(AppendPreviewSchema).describe("Oldest first: the newest append is last"),
  });

/** The shape of {@linkcode streamsContract}. */
export type StreamsContract = {
  /** Streams and topics. */
  readonly topics: {
    /** `GET /api/topics?prefix=&after=&limit=`, by name. */
    readonly list: ContractProcedure<
      typeof ListTopicsSchema,
      typeof TopicPageSchema,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `GET /api/topics/{name}`. */
    readonly get: ContractProcedure<
      typeof TopicNameSchema,
      typeof TopicDetailsSchema,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `GET /api/topics/{name}/tail?limit=`: the newest appends, newest last. */
    readonly tail: ContractProcedure<
      typeof TopicTailQuerySchema,
      typeof TopicTailSchema,
      CommonErrorMap,
      Record<never, never>
    >;
  };
};

const tags = ["streams"];

/** The `streams-api` management contract, version 1. */
export const streamsContract: StreamsContract = {
  topics: {
    list: baseContract
      .route({
        method: "GET",
        path: "/topics",
        summary: "List streams by name",
        description:
          "Every stream the store holds, declared topics and streams created over the protocol alike, with its size and offsets.",
        tags,
      })
      .input(ListTopicsSchema)
      .output(TopicPageSchema),
    get: baseContract
      .route({
        method: "GET",
        path: "/topics/{name}",
        summary: "Get a stream with its producers",
        description: "A name with slashes is sent URL-encoded. An unknown name is a 404.",
        tags,
      })
      .input(TopicNameSchema)
      .output(TopicDetailsSchema),
    tail: baseContract
      .route({
        method: "GET",
        path: "/topics/{name}/tail",
        summary: "Get a stream's newest appends",
        description:
          "Up to limit appends, the newest last, each with a preview of its data. Reads about 1 MiB at most: older appends beyond it are left out, and the newest is always listed. A fork lists the appends made to it since it was forked. Reading the tail does not count as a read for a sliding TTL. An unknown name is a 404.",
        tags,
      })
      .input(TopicTailQuerySchema)
      .output(TopicTailSchema),
  },
};
