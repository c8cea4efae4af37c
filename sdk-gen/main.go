// Command sdk-gen writes the agent37 package's SDKs from its schema with Pulumi's own code
// generators (the ones the language hosts run for `pulumi package gen-sdk`), linked in here so
// that no language host is needed: the Go module proxy does not serve them.
//
//	go run . <schema.json> <out dir> [language...]
//
// writes <out dir>/python, <out dir>/go and <out dir>/nodejs (the languages named, or all three).
// The schema references no other package, so a reference to one is an error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"golang.org/x/mod/modfile"
)

// The tool name the generators write into each file's "do not edit" header.
const tool = "pulumi-agent37 sdk-gen"

// noLoader refuses every package reference: the agent37 schema is self-contained.
type noLoader struct{}

var errReference = errors.New("the agent37 schema references another package; sdk-gen loads none")

func (noLoader) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errReference
}

func (noLoader) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errReference
}

func (noLoader) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errReference
}

func (noLoader) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errReference
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "sdk-gen: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: sdk-gen <schema.json> <out dir> [python|go|nodejs...]")
	}
	schemaPath, outDir, languages := args[0], args[1], args[2:]
	if len(languages) == 0 {
		languages = []string{"python", "go", "nodejs"}
	}
	for _, language := range languages {
		files, err := generate(schemaPath, language)
		if err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		if err := write(filepath.Join(outDir, language), files); err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
	}
	return nil
}

// bind reads and validates the schema against Pulumi's metaschema, once per language: each
// generator records its own decoded language section on the package it is given.
func bind(schemaPath string) (*schema.Package, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

func generate(schemaPath, language string) (map[string][]byte, error) {
	pkg, err := bind(schemaPath)
	if err != nil {
		return nil, err
	}
	switch language {
	case "python":
		return pythongen.GeneratePackage(tool, pkg, nil, noLoader{})
	case "go":
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return nil, err
		}
		return files, requireOwnSDK(files)
	case "nodejs":
		return nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, noLoader{})
	default:
		return nil, fmt.Errorf("unknown language (want python, go or nodejs)")
	}
}

// requireOwnSDK makes the Go SDK's go.mod require the Pulumi Go SDK this program is built with
// (sdk-gen/go.mod) instead of the generator's default, v3.269.0: that version's module graph
// holds a module version (github.com/pulumi/pulumi-cloud-sdk/go v1.20260918.0) the Go module
// proxy refuses, so the SDK could be neither tidied nor built. One version for the generator,
// the SDK and the CLI also means one set of modules to fetch. scripts/gen-sdk.sh then runs
// `go mod tidy` in the SDK, which lists the rest of the requirements and writes go.sum.
func requireOwnSDK(files map[string][]byte) error {
	const sdk = "github.com/pulumi/pulumi/sdk/v3"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return errors.New("no build information: build sdk-gen as a module (go build in sdk-gen/)")
	}
	version := ""
	for _, dep := range info.Deps {
		if dep.Path == sdk {
			version = dep.Version
		}
	}
	if version == "" {
		return fmt.Errorf("sdk-gen is not built with %s", sdk)
	}
	gomod, err := modfile.Parse("go.mod", files["go.mod"], nil)
	if err != nil {
		return fmt.Errorf("generated go.mod: %w", err)
	}
	if err := gomod.AddRequire(sdk, version); err != nil {
		return err
	}
	out, err := gomod.Format()
	if err != nil {
		return err
	}
	files["go.mod"] = out
	return nil
}

// write replaces dir with exactly the generated files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
