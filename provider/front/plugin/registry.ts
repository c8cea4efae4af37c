// Every resource and function the plugin serves. Adding a resource to the plugin is one module
// (schema plus operations, see spec.ts) and one line here.
import { domainModule } from "./resources/domain";
import { execModule } from "./resources/exec";
import { instanceModule } from "./resources/instance";
import { templateModule } from "./resources/template";
import { domainResource } from "../../domain/operations";
import { sshKeyResource } from "../../ssh-key/operations";
import { pluginModule } from "./adapter";
import type { PluginModule } from "./spec";

export const MODULES: readonly PluginModule[] = [instanceModule, execModule, pluginModule(domainResource), domainModule, pluginModule(sshKeyResource), templateModule];
