// The generated Go SDK under Pulumi's mocks, no engine: what it registers for a resource, a
// provider and an invoke.
package main

import (
	"sync"
	"testing"

	"github.com/pulumi-agent37/pulumi-agent37/sdk/go/agent37"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type registration struct {
	typ    string
	name   string
	inputs resource.PropertyMap
}

type mocks struct {
	mu        sync.Mutex
	resources []registration
	calls     []string
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = append(m.resources, registration{args.TypeToken, args.Name, args.Inputs})
	outputs := args.Inputs.Copy()
	if args.TypeToken == "agent37:index:Instance" {
		outputs["instanceId"] = resource.NewStringProperty("inst_1")
		outputs["url"] = resource.NewStringProperty("https://api.example")
	}
	return args.Name + "-id", outputs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, args.Token)
	return resource.PropertyMap{
		"name":        args.Args["name"],
		"defaultPort": resource.NewNumberProperty(18789),
	}, nil
}

func TestRegistrations(t *testing.T) {
	m := &mocks{}
	var url, instanceID string
	var port int
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		staging, err := agent37.NewProvider(ctx, "staging", &agent37.ProviderArgs{
			ApiUrl: pulumi.String("http://127.0.0.1:1"),
			ApiKey: pulumi.String("sk_test"),
		})
		if err != nil {
			return err
		}
		api, err := agent37.NewInstance(ctx, "api", &agent37.InstanceArgs{
			Name:               pulumi.String("api"),
			IdleTimeoutSeconds: pulumi.Int(300),
			Env:                pulumi.StringMap{"MODE": pulumi.String("test")},
		}, pulumi.Provider(staging))
		if err != nil {
			return err
		}
		hermes := agent37.LookupTemplateOutput(ctx, agent37.LookupTemplateOutputArgs{Name: pulumi.String("agent37-hermes")})
		pulumi.All(api.Url, api.InstanceId, hermes.DefaultPort()).ApplyT(func(v []any) error {
			url, instanceID = v[0].(string), v[1].(string)
			port = *v[2].(*int)
			return nil
		})
		return nil
	}, pulumi.WithMocks("project", "stack", m))
	if err != nil {
		t.Fatal(err)
	}

	if url != "https://api.example" || instanceID != "inst_1" || port != 18789 {
		t.Errorf("outputs: url %q, instanceId %q, defaultPort %d", url, instanceID, port)
	}
	if len(m.calls) != 1 || m.calls[0] != "agent37:index:getTemplate" {
		t.Errorf("invokes: %v", m.calls)
	}
	byType := map[string]registration{}
	for _, r := range m.resources {
		byType[r.typ] = r
	}
	provider, ok := byType["pulumi:providers:agent37"]
	if !ok {
		t.Fatalf("no provider registered: %v", m.resources)
	}
	if !provider.inputs["apiKey"].IsSecret() {
		t.Errorf("provider apiKey is not secret: %v", provider.inputs["apiKey"])
	}
	if got := provider.inputs["apiUrl"].StringValue(); got != "http://127.0.0.1:1" {
		t.Errorf("provider apiUrl: %q", got)
	}
	instance, ok := byType["agent37:index:Instance"]
	if !ok {
		t.Fatalf("no instance registered: %v", m.resources)
	}
	if got := instance.inputs["name"].StringValue(); got != "api" {
		t.Errorf("instance name: %q", got)
	}
	if got := instance.inputs["idleTimeoutSeconds"].NumberValue(); got != 300 {
		t.Errorf("instance idleTimeoutSeconds: %v", got)
	}
	if !instance.inputs["env"].IsSecret() {
		t.Errorf("instance env is not secret: %v", instance.inputs["env"])
	}
}
