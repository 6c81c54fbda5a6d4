import { deepEqual, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { composeRegistry } from "./compose_registry.ts";
import { definePlugin } from "./define_plugin.ts";
import { assertPermissionsGranted, permissionViolations } from "./permission_policy.ts";
import type { DenoPermissions } from "./permissions.ts";

const resource = (permissions: DenoPermissions) => ({
  name: "media-worker",
  plugin: "media",
  permissions,
});
const asked = (permissions: DenoPermissions, granted?: DenoPermissions) =>
  permissionViolations(resource(permissions), granted).map((v) => [v.permission, v.value]);

Deno.test("a manifest may ask for hosts, variable names and paths inside the workspace", () => {
  deepEqual(
    asked({
      net: ["api.example.com:443"],
      env: ["MEDIA_BUCKET"],
      read: [".netscript/data", "media/in", "./media/../media/x"],
      write: [".netscript/data"],
      unstable: ["kv"],
    }),
    [],
  );
});

Deno.test("everything else needs the workspace's grant", () => {
  deepEqual(
    asked({
      net: true,
      env: true,
      read: true,
      write: ["/", "../../..", "media/../../x", "~/.ssh", "C:\\Windows"],
      run: ["ffmpeg"],
      ffi: true,
      sys: ["hostname"],
    }),
    [
      ["net", true],
      ["env", true],
      ["read", true],
      ["write", "/"],
      ["write", "../../.."],
      ["write", "media/../../x"],
      ["write", "~/.ssh"],
      ["write", "C:\\Windows"],
      ["run", "ffmpeg"],
      ["ffi", true],
      ["sys", "hostname"],
    ],
  );
});

Deno.test("a grant allows what it names, and no more", () => {
  deepEqual(asked({ run: ["ffmpeg", "convert"] }, { run: ["ffmpeg"] }), [["run", "convert"]]);
  deepEqual(asked({ run: true }, { run: ["ffmpeg"] }), [["run", true]]);
  deepEqual(asked({ run: true, write: ["/srv/media"] }, { run: true, write: ["/srv/media"] }), []);
});

Deno.test("assertPermissionsGranted() names every resource and prints the entry that grants it", () => {
  const manifest = definePlugin("media", "1.0.0")
    .withService({
      name: "media-api",
      entrypoint: "./api.ts",
      port: 8300,
      permissions: { sys: true },
    })
    .withBackgroundProcessor({
      name: "media-worker",
      entrypoint: "./worker.ts",
      permissions: { run: ["ffmpeg"], write: ["/srv/media"] },
    })
    .build();
  const registry = composeRegistry([{ file: "plugins/media/plugin.ts", manifest }]);
  throws(
    () => assertPermissionsGranted(registry, {}),
    (error) =>
      isNetScriptError(error, "PLUGIN_PERMISSION_NOT_GRANTED") &&
      error.message.includes(
        'permissions: { "media-api": { sys: true }, "media-worker": { write: ["/srv/media"], run: ["ffmpeg"] } }',
      ),
  );
  assertPermissionsGranted(registry, {
    "media-api": { sys: true },
    "media-worker": { run: ["ffmpeg"], write: ["/srv/media"] },
  });
});
