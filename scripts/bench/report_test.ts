import assert from "node:assert/strict";
import { computeRatios, type TargetResult } from "./report.ts";
import type { TargetId } from "./targets.ts";

function result(id: TargetId, requestsPerSecond: number, latencyP50Ms: number): TargetResult {
  return {
    id,
    label: id,
    extra: false,
    requestsPerSecond,
    latencyP50Ms,
    latencyP99Ms: latencyP50Ms * 4,
    responses: requestsPerSecond * 10,
    non2xx: 0,
    errors: 0,
    responsesServed: requestsPerSecond * 13,
    everyRound: [requestsPerSecond],
  };
}

function exportRatio(dashboardP50Ms: number) {
  const ratios = computeRatios([
    result("netscriptOtlpNowhere", 10_000, 1),
    result("netscriptOtlpDashboard", 9_000, dashboardP50Ms),
  ]);
  return ratios.find((ratio) =>
    ratio.of === "netscriptOtlpDashboard" && ratio.measure === "latency"
  );
}

Deno.test("computeRatios() holds the dashboard's export latency to a ceiling of 1.05", async (t) => {
  await t.step("divides the p50 latencies, not the req/s", () => {
    const ratio = exportRatio(1.04);
    assert.equal(ratio?.to, "netscriptOtlpNowhere");
    assert.equal(ratio?.value, 1.04);
    assert.equal(ratio?.goal, 1.05);
    assert.equal(ratio?.met, true);
  });
  await t.step("misses the goal above it", () => {
    assert.equal(exportRatio(1.2)?.met, false);
  });
  await t.step("leaves out what only a throughput ratio has", () => {
    const ratio = exportRatio(1);
    assert.equal(ratio?.byCpu, undefined);
    assert.equal(ratio?.everyRound, undefined);
  });
});

Deno.test("computeRatios() keeps throughput goals as floors", () => {
  const ratios = computeRatios([result("orpc", 10_000, 1), result("netscript", 9_000, 1)]);
  const ratio = ratios.find((each) => each.of === "netscript" && each.to === "orpc");
  assert.equal(ratio?.measure, "throughput");
  assert.equal(ratio?.value, 0.9);
  assert.equal(ratio?.met, false);
});
