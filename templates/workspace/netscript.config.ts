import { defineConfig } from "@netscript/plugin";

export default defineConfig({
  db: { engine: "{{db}}" },
  cache: { backend: "{{cache}}" },
  plugins: [],
  aspire: {{aspire}},
});
