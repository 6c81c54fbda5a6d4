export { default } from "@netscript/plugin-sagas/aspire";
