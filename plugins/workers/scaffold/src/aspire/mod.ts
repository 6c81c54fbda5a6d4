export { default } from "@netscript/plugin-workers/aspire";
