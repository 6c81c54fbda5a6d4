// Runs the Durable Streams server conformance suite (the npm package
// @durable-streams/server-conformance-tests) against the server at
// CONFORMANCE_TEST_URL; tests/durable_streams_conformance_test.ts starts
// that server and runs this file with vitest.
import { runConformanceTests } from "@durable-streams/server-conformance-tests";

runConformanceTests({ baseUrl: process.env.CONFORMANCE_TEST_URL, subscriptions: false });
