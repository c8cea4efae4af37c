// An Automation-API inline program on the generated Go SDK: up one instance, read its outputs,
// destroy it, remove the stack. No Go language host: the program runs in this process and the
// `pulumi` CLI calls back into it.
//
//	go run .
//
// Needs on PATH: `pulumi` and the executable plugin `pulumi-resource-agent37`; in the
// environment: AGENT37_API_URL and AGENT37_API_KEY (e.g. a local emulator's), PULUMI_BACKEND_URL
// (e.g. file://<empty folder>) and PULUMI_CONFIG_PASSPHRASE. Optional:
// AGENT37_INSTANCE_URL_TEMPLATE, SDK_STACK (default "dev"). Prints each step's JSON line on
// stdout; the engine's output goes to stderr.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi-agent37/pulumi-agent37/sdk/go/agent37"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func program(ctx *pulumi.Context) error {
	api, err := agent37.NewInstance(ctx, "api", &agent37.InstanceArgs{Name: pulumi.String("sdk-go")})
	if err != nil {
		return err
	}
	ctx.Export("instanceId", api.InstanceId)
	ctx.Export("name", api.Name)
	ctx.Export("url", api.Url)
	ctx.Export("status", api.Status)
	return nil
}

func say(step string, fields map[string]any) {
	fields["step"] = step
	line, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(line))
}

func run(ctx context.Context) error {
	name := os.Getenv("SDK_STACK")
	if name == "" {
		name = "dev"
	}
	stack, err := auto.UpsertStackInlineSource(ctx, name, "agent37-sdk-go", program)
	if err != nil {
		return err
	}
	config := auto.ConfigMap{
		"agent37:apiUrl": {Value: os.Getenv("AGENT37_API_URL")},
		"agent37:apiKey": {Value: os.Getenv("AGENT37_API_KEY"), Secret: true},
	}
	if template := os.Getenv("AGENT37_INSTANCE_URL_TEMPLATE"); template != "" {
		config["agent37:instanceUrlTemplate"] = auto.ConfigValue{Value: template}
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		return err
	}

	up, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
	if err != nil {
		return err
	}
	outputs := map[string]any{}
	for k, v := range up.Outputs {
		outputs[k] = v.Value
	}
	say("up", map[string]any{"result": up.Summary.Result, "changes": up.Summary.ResourceChanges, "outputs": outputs})

	again, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stderr))
	if err != nil {
		return err
	}
	say("preview", map[string]any{"changes": again.ChangeSummary})

	destroy, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
	if err != nil {
		return err
	}
	say("destroy", map[string]any{"result": destroy.Summary.Result, "changes": destroy.Summary.ResourceChanges})
	return stack.Workspace().RemoveStack(ctx, stack.Name())
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "sdk-go automation: %v\n", err)
		os.Exit(1)
	}
}
