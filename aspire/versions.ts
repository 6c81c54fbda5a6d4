/**
 * The Aspire release the generated AppHost targets. The SDK declaration in
 * `sdk/` is written from this release's published API listing; the two move
 * together.
 */
export const ASPIRE_VERSION = "13.5.2";

/** The npm packages the AppHost's `package.json` pins for Node and `tsx`. */
export const APPHOST_NPM_PACKAGES = {
  dependencies: { "vscode-jsonrpc": "8.2.1" },
  devDependencies: { "@types/node": "22.20.5", tsx: "4.23.15", typescript: "5.9.3" },
} as const;

/** The dashboard's fixed ports: the UI, OTLP/gRPC, OTLP/HTTP and the resource service. */
export const DASHBOARD_PORTS = {
  ui: 18888,
  otlpGrpc: 18889,
  otlpHttp: 18890,
  resources: 18891,
} as const;
