"""An Automation-API inline program on the generated Python SDK: up one instance, read its
outputs, destroy it, remove the stack. No Python language host: the program runs in this
process and the `pulumi` CLI calls back into it.

Needs on PATH: `pulumi` and the executable plugin `pulumi-resource-agent37`; in the
environment: AGENT37_API_URL and AGENT37_API_KEY (e.g. a local emulator's), PULUMI_BACKEND_URL
(e.g. file://<empty folder>) and PULUMI_CONFIG_PASSPHRASE. Optional: AGENT37_INSTANCE_URL_TEMPLATE,
SDK_STACK (default "dev"). Prints each step's JSON line on stdout; the engine's output goes to
stderr.
"""
import json
import os
import sys

import pulumi
from pulumi import automation as auto

import pulumi_agent37 as agent37


def program():
    api = agent37.Instance("api", name="sdk-python")
    pulumi.export("instanceId", api.instance_id)
    pulumi.export("name", api.name)
    pulumi.export("url", api.url)
    pulumi.export("status", api.status)


def say(step, **fields):
    print(json.dumps({"step": step, **fields}, sort_keys=True), flush=True)


def main():
    stack = auto.create_or_select_stack(
        stack_name=os.environ.get("SDK_STACK", "dev"),
        project_name="agent37-sdk-python",
        program=program,
    )
    stack.set_config("agent37:apiUrl", auto.ConfigValue(os.environ["AGENT37_API_URL"]))
    stack.set_config("agent37:apiKey", auto.ConfigValue(os.environ["AGENT37_API_KEY"], secret=True))
    template = os.environ.get("AGENT37_INSTANCE_URL_TEMPLATE")
    if template:
        stack.set_config("agent37:instanceUrlTemplate", auto.ConfigValue(template))

    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    up = stack.up(on_output=log)
    say("up", result=up.summary.result, changes=up.summary.resource_changes,
        outputs={k: v.value for k, v in up.outputs.items()})

    again = stack.preview(on_output=log)
    say("preview", changes=again.change_summary)

    destroy = stack.destroy(on_output=log)
    say("destroy", result=destroy.summary.result, changes=destroy.summary.resource_changes)
    stack.workspace.remove_stack(stack.name)


if __name__ == "__main__":
    main()
