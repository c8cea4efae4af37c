// Checks a Pulumi YAML program against a package schema, the way Pulumi YAML's type checker
// would: every resource type and invoke exists, every property is an input of its resource
// with a value of the right type, required inputs are set, and every `${...}` reference names a
// config value, a resource output or an invoke result of the right type.
type Spec = Record<string, unknown>;
type Schema = {
  resources: Record<string, { inputProperties: Record<string, Spec>; properties: Record<string, Spec>; requiredInputs?: string[] }>;
  functions: Record<string, { inputs: { properties: Record<string, Spec>; required?: string[] }; outputs: { properties: Record<string, Spec> } }>;
  types: Record<string, Spec>;
  provider: { inputProperties: Record<string, Spec>; properties: Record<string, Spec> };
  config?: { variables?: Record<string, Spec> };
  name: string;
};

interface Program {
  config?: Record<string, { type?: string }>;
  variables?: Record<string, unknown>;
  resources?: Record<string, { type: string; properties?: Record<string, unknown>; options?: Record<string, unknown> }>;
  outputs?: Record<string, unknown>;
}

const REF = /\$\{([^}]+)\}/g;
const WHOLE_REF = /^\$\{([^}]+)\}$/;

/** The type a reference stands for: a spec, `"any"`, or an error message. */
type Resolved = { spec: Spec } | { any: true } | { error: string };

export function checkYamlProgram(program: Program, schema: Schema): string[] {
  const errors: string[] = [];
  const providerType = `pulumi:providers:${schema.name}`;
  const resources = program.resources ?? {};
  const invokes = new Map<string, { fn: string; args: Record<string, unknown> }>();
  for (const [name, v] of Object.entries(program.variables ?? {})) {
    const inv = (v as Record<string, unknown>)?.["fn::invoke"] as { function?: string; arguments?: Record<string, unknown> } | undefined;
    if (inv === undefined) continue;
    const fn = inv.function ?? "";
    if (schema.functions[fn] === undefined) errors.push(`variables.${name}: no function ${fn} in the schema`);
    else invokes.set(name, { fn, args: inv.arguments ?? {} });
  }

  const resolve = (ref: string): Resolved => {
    const [head, ...path] = ref.split(".");
    if (head === undefined) return { error: "empty reference" };
    if (program.config?.[head] !== undefined && path.length === 0) {
      const t = program.config[head]?.type ?? "string";
      return { spec: { type: t === "integer" || t === "number" || t === "boolean" ? t : "string" } };
    }
    // `${agent37:apiKey}`: the package's own stack config, which Pulumi YAML reads like project config.
    if (head.startsWith(`${schema.name}:`) && path.length === 0) {
      const variable = schema.config?.variables?.[head.slice(schema.name.length + 1)];
      return variable === undefined ? { error: `\${${ref}} is no configuration variable of the package` } : { spec: variable };
    }
    let props: Record<string, Spec> | undefined;
    const res = resources[head];
    if (res !== undefined) {
      if (path.length === 0) return { any: true };
      props = res.type === providerType ? schema.provider.properties : schema.resources[res.type]?.properties;
      if (props === undefined) return { error: `resource ${head} has an unknown type` };
      props = { ...props, id: { type: "string" }, urn: { type: "string" } };
    } else if (invokes.has(head)) {
      props = schema.functions[invokes.get(head)?.fn as string]?.outputs.properties;
    } else {
      return { error: `\${${ref}} names no config value, resource or variable` };
    }
    let spec: Spec | undefined = { type: "object", properties: props };
    for (const segment of path) {
      spec = field(spec, segment);
      if (spec === undefined) return { error: `\${${ref}}: no property ${segment}` };
    }
    return { spec };
  };

  function field(spec: Spec, name: string): Spec | undefined {
    const s = deref(spec);
    const props = s.properties as Record<string, Spec> | undefined;
    if (props !== undefined) return props[name];
    if (s.additionalProperties !== undefined) return s.additionalProperties as Spec;
    return undefined;
  }

  function deref(spec: Spec): Spec {
    const ref = spec.$ref;
    if (typeof ref === "string" && ref.startsWith("#/types/")) return schema.types[ref.slice("#/types/".length)] ?? {};
    return spec;
  }

  const isAny = (spec: Spec): boolean => spec.$ref === "pulumi.json#/Any";

  function kindOf(spec: Spec): string {
    const s = deref(spec);
    if (Array.isArray(s.enum)) return "string";
    return typeof s.type === "string" ? s.type : "any";
  }

  function compatible(expected: Spec, actual: Spec): boolean {
    if (isAny(expected) || isAny(actual)) return true;
    const e = kindOf(expected);
    const a = kindOf(actual);
    return e === a || (e === "number" && a === "integer");
  }

  function checkValue(at: string, value: unknown, spec: Spec): void {
    if (isAny(spec)) {
      if (typeof value === "string") checkInterpolations(at, value);
      return;
    }
    if (typeof value === "string") {
      const whole = WHOLE_REF.exec(value);
      if (whole) {
        const r = resolve(whole[1] as string);
        if ("error" in r) errors.push(`${at}: ${r.error}`);
        else if ("spec" in r && !compatible(spec, r.spec)) errors.push(`${at}: \${${whole[1]}} is ${kindOf(r.spec)}, expected ${kindOf(spec)}`);
        return;
      }
      checkInterpolations(at, value);
    }
    const s = deref(spec);
    const kind = kindOf(spec);
    if (Array.isArray(s.enum)) {
      const values = (s.enum as { value: unknown }[]).map((e) => e.value);
      if (!values.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`);
      return;
    }
    switch (kind) {
      case "string":
        if (typeof value !== "string") errors.push(`${at}: expected a string`);
        return;
      case "integer":
        if (!Number.isInteger(value)) errors.push(`${at}: expected an integer`);
        return;
      case "number":
        if (typeof value !== "number") errors.push(`${at}: expected a number`);
        return;
      case "boolean":
        if (typeof value !== "boolean") errors.push(`${at}: expected a boolean`);
        return;
      case "array":
        if (!Array.isArray(value)) errors.push(`${at}: expected a list`);
        else value.forEach((v, i) => checkValue(`${at}[${i}]`, v, s.items as Spec));
        return;
      case "object":
        if (value === null || typeof value !== "object" || Array.isArray(value)) errors.push(`${at}: expected an object`);
        else if (s.properties) checkObject(at, value as Record<string, unknown>, s.properties as Record<string, Spec>, (s.required as string[]) ?? []);
        else for (const [k, v] of Object.entries(value)) checkValue(`${at}.${k}`, v, (s.additionalProperties as Spec) ?? { $ref: "pulumi.json#/Any" });
        return;
      default:
        errors.push(`${at}: the schema gives no type`);
    }
  }

  function checkInterpolations(at: string, text: string): void {
    for (const m of text.matchAll(REF)) {
      const r = resolve(m[1] as string);
      if ("error" in r) errors.push(`${at}: ${r.error}`);
    }
  }

  function checkObject(at: string, value: Record<string, unknown>, props: Record<string, Spec>, required: string[]): void {
    for (const [k, v] of Object.entries(value)) {
      const spec = props[k];
      if (spec === undefined) errors.push(`${at}.${k}: not a property (known: ${Object.keys(props).join(", ")})`);
      else checkValue(`${at}.${k}`, v, spec);
    }
    for (const k of required) if (!(k in value)) errors.push(`${at}: required property ${k} is missing`);
  }

  for (const [name, { fn, args }] of invokes) {
    const spec = schema.functions[fn] as Schema["functions"][string];
    checkObject(`variables.${name}.arguments`, args, spec.inputs.properties, spec.inputs.required ?? []);
  }
  for (const [name, res] of Object.entries(resources)) {
    const at = `resources.${name}`;
    const spec = res.type === providerType ? { ...schema.provider, requiredInputs: [] } : schema.resources[res.type];
    if (spec === undefined) {
      errors.push(`${at}: no resource type ${res.type} in the schema`);
      continue;
    }
    checkObject(`${at}.properties`, res.properties ?? {}, spec.inputProperties, spec.requiredInputs ?? []);
    const provider = res.options?.provider;
    if (provider !== undefined) {
      const m = typeof provider === "string" ? WHOLE_REF.exec(provider) : null;
      if (!m || resources[m[1] as string]?.type !== providerType) errors.push(`${at}.options.provider: not a ${providerType} resource of this program`);
    }
  }
  for (const [name, value] of Object.entries(program.outputs ?? {})) {
    if (typeof value === "string") checkInterpolations(`outputs.${name}`, value);
  }
  return errors;
}
