import { equal } from "node:assert/strict";
import { escapeHtml, html, joinHtml } from "./html.ts";

Deno.test("html escapes embedded text and attribute values", () => {
  const hostile = `"><script>alert('x')</script>&`;
  equal(
    html`<td title="${hostile}">${hostile}</td>`.value,
    '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
      "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</td>",
  );
});

Deno.test("html embeds markup it built, lists, and nothing for null, undefined and false", () => {
  const cell = html`<td>${"a<b"}</td>`;
  equal(
    html`<tr>${[cell, cell]}${null}${undefined}${false}${0}</tr>`.value,
    "<tr><td>a&lt;b</td><td>a&lt;b</td>0</tr>",
  );
  equal(joinHtml(["<", html`<br>`]).value, "&lt;<br>");
  equal(escapeHtml("plain"), "plain");
});
