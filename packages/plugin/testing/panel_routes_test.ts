import { AssertionError } from "node:assert";
import { match, ok, throws } from "node:assert/strict";
import { oc } from "@orpc/contract";
import { z } from "zod";
import {
  type DashboardPanelContribution,
  type DashboardTableView,
  definePlugin,
  type PluginManifest,
} from "../mod.ts";
import { assertPanelRoutes } from "./mod.ts";

const Order = z.object({
  id: z.string(),
  state: z.enum(["open", "paid", "refunded"]),
  total: z.number().nullable(),
});

const contract = {
  orders: {
    list: oc.route({ method: "GET", path: "/orders" })
      .output(z.object({ items: z.array(Order), total: z.number() })),
    get: oc.route({ method: "GET", path: "/orders/{id}" })
      .output(Order.extend({ lines: z.array(z.object({ sku: z.string(), qty: z.number() })) })),
    refund: oc.route({ method: "POST", path: "/orders/{id}/refund" }).output(Order),
  },
  stats: oc.route({ method: "GET", path: "/stats" })
    .output(z.object({ open: z.number().int(), paid: z.number().optional() })),
  names: oc.route({ method: "GET", path: "/names" }).output(
    z.array(z.object({ name: z.string() })),
  ),
};

const ORDERS: DashboardTableView = {
  kind: "table",
  title: "Orders",
  path: "/api/orders?limit=20",
  columns: [{ field: "id", label: "Id" }, { field: "total", label: "Total" }],
  actions: [{
    label: "Refund",
    path: "/api/orders/{id}/refund",
    when: { field: "state", values: ["paid"] },
  }],
  detail: { path: "/api/orders/{id}", list: "lines", columns: [{ field: "sku", label: "SKU" }] },
};

/** A plugin with one panel: counts, then the given table. */
function shop(table: Partial<DashboardTableView> = {}, counts = "/api/stats"): PluginManifest {
  const panel: DashboardPanelContribution = {
    id: "orders",
    title: "Orders",
    service: "shop-api",
    views: [
      { kind: "counts", title: "Orders by state", path: counts },
      { ...ORDERS, ...table },
      {
        kind: "table",
        title: "Names",
        path: "/api/names",
        columns: [{ field: "name", label: "Name" }],
      },
    ],
  };
  return definePlugin("shop", "1.0.0")
    .withService({ name: "shop-api", entrypoint: "./main.ts", port: 8100 })
    .withDashboardPanels([panel])
    .build();
}

function refused(manifest: PluginManifest, message: RegExp): void {
  throws(() => assertPanelRoutes(manifest, contract), (error: unknown) => {
    ok(error instanceof AssertionError, String(error));
    match(error.message, /The dashboard panels of plugin "shop" do not fit its contract/);
    match(error.message, message);
    return true;
  });
}

Deno.test("assertPanelRoutes() accepts panels whose routes and fields the contract has", () => {
  assertPanelRoutes(shop(), contract);
});

Deno.test("assertPanelRoutes() refuses a manifest with no panel", () => {
  refused(definePlugin("shop", "1.0.0").build(), /it declares no dashboard panel/);
});

Deno.test("assertPanelRoutes() refuses routes the contract does not have", async (t) => {
  await t.step("a GET path no route has", () => {
    refused(shop({ path: "/api/order" }), /view 1 \("Orders"\): GET \/api\/order is no route/);
  });
  await t.step("a path outside /api", () => {
    refused(shop({}, "/stats"), /\/stats is not under \/api\//);
  });
  await t.step("an action on a GET route", () => {
    refused(
      shop({ actions: [{ label: "Open", path: "/api/orders/{id}" }] }),
      /action "Open": POST \/api\/orders\/\{id\} is no route of the contract \(it has GET \/orders, /,
    );
  });
  await t.step("a detail on a POST route", () => {
    refused(
      shop({
        detail: {
          path: "/api/orders/{id}/refund",
          list: "lines",
          columns: [{ field: "sku", label: "SKU" }],
        },
      }),
      /detail: GET \/api\/orders\/\{id\}\/refund is no route/,
    );
  });
});

Deno.test("assertPanelRoutes() refuses fields the answers do not have", async (t) => {
  await t.step("counts that are not all numbers", () => {
    refused(
      shop({}, "/api/orders"),
      /GET \/api\/orders does not answer an object of numbers/,
    );
  });
  await t.step("a table over a route that answers one object", () => {
    refused(
      shop({ path: "/api/stats" }),
      /GET \/api\/stats answers neither an array nor a page of objects/,
    );
  });
  await t.step("a column the rows do not have", () => {
    refused(
      shop({ columns: [{ field: "amount", label: "Amount" }] }),
      /a column reads "amount", which the answer's entries do not have/,
    );
  });
  await t.step("an action placeholder and condition the rows do not have", () => {
    refused(
      shop({
        actions: [{
          label: "Refund",
          path: "/api/orders/{orderId}/refund",
          when: { field: "status", values: ["paid"] },
        }],
      }),
      /action "Refund" reads "orderId".*action "Refund" reads "status"/,
    );
  });
  await t.step("an action condition on a value the field's enum does not have", () => {
    refused(
      shop({
        actions: [{
          label: "Refund",
          path: "/api/orders/{id}/refund",
          when: { field: "state", values: ["paid", "payed"] },
        }],
      }),
      /action "Refund" waits for state "payed", which is not one of "open", "paid", "refunded"/,
    );
  });
  await t.step("a detail list the answer does not have", () => {
    refused(
      shop({
        detail: {
          path: "/api/orders/{id}",
          list: "items",
          columns: [{ field: "sku", label: "SKU" }],
        },
      }),
      /GET \/api\/orders\/\{id\} has no "items" array of objects for the detail/,
    );
  });
  await t.step("a detail column the list's entries do not have", () => {
    refused(
      shop({
        detail: {
          path: "/api/orders/{id}",
          list: "lines",
          columns: [{ field: "price", label: "Price" }],
        },
      }),
      /a detail column reads "price"/,
    );
  });
});
