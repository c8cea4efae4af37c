// The stable entry that serialized providers load by package name:
// `require("pulumi-agent37/dynamic").instanceProvider()`. State written by any version of the
// package calls exactly this; keep the name and the signature.
// First: under an unsupported Node this fails with one line, before any dependency loads.
import "./core/require-node";
import type * as pulumi from "@pulumi/pulumi";
import { watchDynamicHostCalls } from "./core/engine-call";
import { domainResource } from "./domain/operations";
import { Agent37DomainVerificationProvider } from "./domain-verification/provider";
import { Agent37ExecProvider } from "./exec/provider";
import { Agent37InstanceProvider } from "./instance/provider";
import { sshKeyResource } from "./ssh-key/operations";
import { DynamicAdapter } from "./front/dynamic/adapter";
import { Agent37TemplateProvider } from "./template/provider";

let instance: Agent37InstanceProvider | undefined;

/**
 * The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Instance.
 * One per process: the host configures it (once per serialized provider string, all with the
 * same stack config) and every resource shares its client and caches.
 */
export function instanceProvider(): pulumi.dynamic.ResourceProvider {
  // A create whose caller went away keeps its pending-create marker (create-token.ts): the
  // host's calls are watched for that from the first use of the instance provider on.
  watchDynamicHostCalls();
  instance ??= new Agent37InstanceProvider();
  return instance;
}

let exec: Agent37ExecProvider | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Exec. */
export function execProvider(): pulumi.dynamic.ResourceProvider {
  exec ??= new Agent37ExecProvider();
  return exec;
}

let domain: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Domain. */
export function domainProvider(): pulumi.dynamic.ResourceProvider {
  domain ??= new DynamicAdapter(domainResource) as DynamicAdapter<unknown, unknown>;
  return domain;
}

let domainVerification: Agent37DomainVerificationProvider | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37DomainVerification. */
export function domainVerificationProvider(): pulumi.dynamic.ResourceProvider {
  domainVerification ??= new Agent37DomainVerificationProvider();
  return domainVerification;
}

let sshKey: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37SshKey. */
export function sshKeyProvider(): pulumi.dynamic.ResourceProvider {
  sshKey ??= new DynamicAdapter(sshKeyResource) as DynamicAdapter<unknown, unknown>;
  return sshKey;
}

let template: Agent37TemplateProvider | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Template. */
export function templateProvider(): pulumi.dynamic.ResourceProvider {
  template ??= new Agent37TemplateProvider();
  return template;
}
