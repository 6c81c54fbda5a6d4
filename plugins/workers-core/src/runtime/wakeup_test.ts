import { equal } from "node:assert/strict";
import { Wakeup } from "./wakeup.ts";

Deno.test("Wakeup calls each listener on the next fire only, and counts the fires", () => {
  const wakeup = new Wakeup();
  const heard: string[] = [];
  wakeup.once(() => heard.push("a"));
  const removeB = wakeup.once(() => heard.push("b"));
  removeB();
  equal(wakeup.count, 0);
  wakeup.fire();
  wakeup.fire();
  equal(heard.join(), "a", "a listener hears one fire; a removed one none");
  equal(wakeup.count, 2);
  wakeup.once(() => heard.push("c"));
  wakeup.fire();
  equal(heard.join(), "a,c");
});
