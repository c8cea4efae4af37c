/**
 * Every input and output of every exported resource has a doc comment that renders well on
 * hover (scripts/check-docs.ts, also run by `npm run docs`), and the check catches what it should.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkDocs } from "../scripts/check-docs";
import { REPO_ROOT } from "./harness";

describe("doc comments of the exported resources", () => {
  it("cover every input and output, with no inline @default", () => {
    const problems = checkDocs(path.join(REPO_ROOT, "tsconfig.build.json"), [path.join(REPO_ROOT, "provider", "index.ts")]);
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("the doc check", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-docs-"));
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "commonjs",
          moduleResolution: "node10",
          types: [],
          skipLibCheck: true,
          paths: { "@pulumi/pulumi": [path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")] },
        },
      }),
    );
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import * as pulumi from "@pulumi/pulumi";
/** Inputs. */
export interface ThingArgs {
  /** Documented. */
  good?: pulumi.Input<string>;
  bare?: pulumi.Input<string>;
  /** Size of the thing. @default 3 */
  inline?: pulumi.Input<number>;
  /** A nested object. */
  nested?: pulumi.Input<{
    /** Documented. */
    ok?: number;
    missing?: number;
  }>;
}
/** A resource. */
export class Thing extends pulumi.dynamic.Resource {
  /** Documented. */
  declare readonly good: pulumi.Output<string>;
  declare readonly bare: pulumi.Output<string>;
  constructor(name: string, args: ThingArgs) {
    super({} as pulumi.dynamic.ResourceProvider, name, args);
  }
}
/** Outputs, merged into the class as its properties. */
export interface ThingOutputs {
  /** Documented. */
  merged: string;
  unmerged: string;
}
type OutputProperties<T> = { readonly [K in keyof T]: pulumi.Output<T[K]> };
export interface Thing extends OutputProperties<ThingOutputs> {}
/** Helper args. */
export interface FleetArgs {
  count: number;
}
/** Helper result. */
export interface Fleet {
  /** Documented. */
  things: Thing[];
  size: number;
}
/** A helper. */
export function fleet(args: FleetArgs): Fleet {
  return { things: [], size: args.count };
}
/** Not a resource: its members are not inputs or outputs. */
export class Plain {
  bare = 1;
}
`,
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("names each undocumented output and input (nested ones too), each inline @default, and a helper's args and result", () => {
    const problems = checkDocs(path.join(dir, "tsconfig.json"), [path.join(dir, "index.ts")]);
    expect(problems.map((p) => `${p.member} ${p.problem}`).sort()).toEqual(
      [
        "Thing.bare has no doc comment",
        "ThingOutputs.unmerged has no doc comment",
        "ThingArgs.bare has no doc comment",
        "ThingArgs.inline has an inline @default: put it on its own line",
        "ThingArgs.nested.missing has no doc comment",
        "FleetArgs.count has no doc comment",
        "Fleet.size has no doc comment",
      ].sort(),
    );
    expect(problems.find((p) => p.member === "Thing.bare")?.where).toBe("index.ts:20");
  }, 60_000);
});
