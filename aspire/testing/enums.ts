import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";

/** The declared enum's members, each with the value the generated SDK gives it. */
type Values<E extends Record<string, string>> = { readonly [K in keyof E]: `${E[K]}` };

const otlpProtocol = {
  Grpc: "Grpc",
  HttpProtobuf: "HttpProtobuf",
  HttpJson: "HttpJson",
} as const satisfies Values<typeof Sdk.OtlpProtocol>;

const waitBehavior = {
  WaitOnResourceUnavailable: "WaitOnResourceUnavailable",
  StopOnResourceUnavailable: "StopOnResourceUnavailable",
} as const satisfies Values<typeof Sdk.WaitBehavior>;

/**
 * `OtlpProtocol` at run time: the declared enum's members with the
 * generated SDK's values (checked above), typed as the declared enum.
 */
export const OtlpProtocol: typeof Sdk.OtlpProtocol =
  otlpProtocol as unknown as typeof Sdk.OtlpProtocol;

/**
 * `WaitBehavior` at run time: the declared enum's members with the generated
 * SDK's values (checked above), typed as the declared enum.
 */
export const WaitBehavior: typeof Sdk.WaitBehavior =
  waitBehavior as unknown as typeof Sdk.WaitBehavior;
