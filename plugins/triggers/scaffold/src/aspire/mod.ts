export { default } from "@netscript/plugin-triggers/aspire";
