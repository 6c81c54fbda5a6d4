export { default } from "@netscript/plugin-auth/aspire";
