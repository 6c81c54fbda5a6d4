export { default } from "@netscript/plugin-streams/aspire";
