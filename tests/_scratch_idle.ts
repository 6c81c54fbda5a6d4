import { chromium } from "playwright-core";
const server = Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen() {} },
  () => new Response("<p>hi</p>", { headers: { "content-type": "text/html; charset=utf-8" } }),
);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage();
const t0 = performance.now();
try {
  await page.goto(`http://127.0.0.1:${server.addr.port}/`, {
    waitUntil: "networkidle",
    timeout: 8000,
  });
  console.log("idle ok", performance.now() - t0);
} catch (e) {
  console.log("idle fail", String(e).slice(0, 200));
}
await browser.close();
await server.shutdown();
