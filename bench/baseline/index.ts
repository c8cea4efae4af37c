// The baseline dynamic provider the benchmarks compare against (see docs/bench.md).
export { baselineProvider, type BaselineInputs, type BaselineOutputs } from "./provider";
export { BaselineInstance, type BaselineInstanceArgs } from "./instance";
