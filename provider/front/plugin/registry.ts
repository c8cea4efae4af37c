// Every resource and function the plugin serves. A resource on the seam (core/resource.ts) joins
// the plugin with one line here: its declaration, and where its operations load from; a
// resource's invokes with one line: their schema, and their implementation (adapter.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- operations load on first use (adapter.ts) */
import { DOMAIN } from "../../domain/fields";
import { DOMAIN_VERIFICATION } from "../../domain-verification/fields";
import { EXEC } from "../../exec/fields";
import { DIRECTORY } from "../../directory/fields";
import { FILE } from "../../file/fields";
import { INSTANCE_DECL } from "../../instance/fields";
import { INSTANCE_FUNCTIONS, instanceInvokes } from "../../instance/invokes";
import { SSH_KEY } from "../../ssh-key/fields";
import { TEMPLATE } from "../../template/fields";
import { invokesModule, pluginModule } from "./adapter";
import type { PluginModule } from "./spec";

export const MODULES: readonly PluginModule[] = [
  pluginModule(INSTANCE_DECL, () => (require("../../instance/provider") as typeof import("../../instance/provider")).instanceResourceWith()),
  invokesModule(INSTANCE_FUNCTIONS, instanceInvokes),
  pluginModule(EXEC, () => (require("../../exec/operations") as typeof import("../../exec/operations")).execResource),
  pluginModule(DOMAIN, () => (require("../../domain/operations") as typeof import("../../domain/operations")).domainResource),
  pluginModule(DOMAIN_VERIFICATION, () => (require("../../domain-verification/operations") as typeof import("../../domain-verification/operations")).domainVerificationResource),
  pluginModule(SSH_KEY, () => (require("../../ssh-key/operations") as typeof import("../../ssh-key/operations")).sshKeyResource),
  pluginModule(TEMPLATE, () => (require("../../template/operations") as typeof import("../../template/operations")).templateResource),
  pluginModule(FILE, () => (require("../../file/operations") as typeof import("../../file/operations")).fileResource),
  pluginModule(DIRECTORY, () => (require("../../directory/operations") as typeof import("../../directory/operations")).directoryResource),
];
