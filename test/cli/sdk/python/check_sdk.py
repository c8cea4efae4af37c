"""The generated Python SDK under Pulumi's mocks, no engine: what it registers for a resource, a
provider and an invoke. Prints one JSON line for test/cli/sdk-python.test.ts to compare."""
import json

import pulumi


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []
        self.calls = []

    def new_resource(self, args):
        self.resources.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        outputs = dict(args.inputs)
        if args.typ == "agent37:index:Instance":
            outputs.update({"instanceId": "inst_1", "url": "https://api.example", "status": "running"})
        return [f"{args.name}-id", outputs]

    def call(self, args):
        self.calls.append({"token": args.token, "args": args.args})
        return {"name": args.args.get("name"), "image": "img", "defaultPort": 18789}


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, preview=False)

import pulumi_agent37 as agent37  # noqa: E402  (after set_mocks, as Pulumi's mock tests do)

staging = agent37.Provider("staging", api_url="http://127.0.0.1:1", api_key="sk_test")
api = agent37.Instance(
    "api",
    name="api",
    idle_timeout_seconds=300,
    env={"MODE": "test"},
    opts=pulumi.ResourceOptions(provider=staging),
)
hermes = agent37.get_template_output(name="agent37-hermes")


@pulumi.runtime.test
def check():
    def report(values):
        instance_id, url, port = values
        print(json.dumps({
            "resources": mocks.resources,
            "calls": mocks.calls,
            "outputs": {"instanceId": instance_id, "url": url, "defaultPort": port},
            "version": agent37._utilities.get_version(),
        }, sort_keys=True))

    return pulumi.Output.all(api.instance_id, api.url, hermes.default_port).apply(report)


check()
