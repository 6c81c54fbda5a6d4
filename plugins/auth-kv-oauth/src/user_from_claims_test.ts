import { deepEqual } from "node:assert/strict";
import { userFromClaims } from "./user_from_claims.ts";

Deno.test("userFromClaims() keeps string claims and reads roles from a list or one string", () => {
  deepEqual(
    userFromClaims({ sub: "u1", email: "u1@example.test", name: "U One", roles: ["admin", 3] }),
    { id: "u1", email: "u1@example.test", name: "U One", roles: ["admin"] },
  );
  deepEqual(userFromClaims({ sub: "u2", roles: "editor" }), {
    id: "u2",
    email: null,
    name: null,
    roles: ["editor"],
  });
  deepEqual(userFromClaims({ sub: "u3", email: 5, roles: { admin: true } }), {
    id: "u3",
    email: null,
    name: null,
    roles: [],
  });
});
