/**
 * Registers a real OpenTelemetry tracer provider with an in-memory exporter
 * and an AsyncLocalStorage context manager, for tests that assert spans.
 * Each test file runs in its own worker, so registration is per file.
 *
 * @module
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

const exporter = new InMemorySpanExporter();
let registered = false;

/**
 * Registers the in-memory provider (once) and returns its exporter.
 *
 * @returns The exporter holding every finished span.
 */
export function useInMemoryTracing(): InMemorySpanExporter {
  if (!registered) {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    registered = true;
  }
  return exporter;
}

/**
 * Returns the finished spans with a given name.
 *
 * @param name The span name.
 * @returns The spans, oldest first.
 */
export function spansNamed(name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}
