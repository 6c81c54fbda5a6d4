import type { CommandSpec } from "./command.ts";
import { aspireGenerateCommand } from "./commands/aspire_generate.ts";
import { configGetCommand, configSetCommand, configValidateCommand } from "./commands/config.ts";
import { contractCheckCommand } from "./commands/contract_check.ts";
import { contractListCommand } from "./commands/contract_list.ts";
import {
  dbCreateCommand,
  dbDeployCommand,
  dbDiffCommand,
  dbGenerateCommand,
  dbMigrateCommand,
  dbPushCommand,
  dbResetCommand,
  dbStatusCommand,
} from "./commands/db.ts";
import { devCommand } from "./commands/dev.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { initCommand } from "./commands/init.ts";
import { pluginAddCommand } from "./commands/plugin_add.ts";
import { pluginListCommand } from "./commands/plugin_list.ts";
import { pluginRemoveCommand } from "./commands/plugin_remove.ts";
import { registryGenerateCommand } from "./commands/registry_generate.ts";

/** Every `netscript` command, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  initCommand,
  pluginAddCommand,
  pluginRemoveCommand,
  pluginListCommand,
  registryGenerateCommand,
  contractListCommand,
  contractCheckCommand,
  configGetCommand,
  configSetCommand,
  configValidateCommand,
  devCommand,
  aspireGenerateCommand,
  doctorCommand,
  dbGenerateCommand,
  dbCreateCommand,
  dbMigrateCommand,
  dbDeployCommand,
  dbPushCommand,
  dbStatusCommand,
  dbResetCommand,
  dbDiffCommand,
];
