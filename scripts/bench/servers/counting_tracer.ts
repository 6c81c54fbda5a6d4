/**
 * A real OpenTelemetry pipeline whose exporter counts spans and drops them:
 * `BasicTracerProvider` → `BatchSpanProcessor` → counting exporter, with the
 * `AsyncLocalStorageContextManager`. Every span is built, batched and
 * handed to an exporter, so the tracing cost is measured without a
 * collector's network traffic.
 *
 * @module
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";

/** The registered pipeline. */
export interface CountingTracer {
  /** Spans the exporter has received so far. */
  spansExported(): number;
  /** Exports the spans still queued and stops the provider. */
  shutdown(): Promise<void>;
}

class CountingSpanExporter implements SpanExporter {
  exported = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exported += spans.length;
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Registers the pipeline as the global tracer provider and context manager.
 *
 * @returns A handle to read the count and shut the provider down.
 */
export function registerCountingTracer(): CountingTracer {
  const exporter = new CountingSpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    spansExported: () => exporter.exported,
    shutdown: () => provider.shutdown(),
  };
}
