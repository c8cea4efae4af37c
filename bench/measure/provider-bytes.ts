// providerBytes: the size of the serialized `__provider` one resource carries in state
// (target: under 2,048 bytes). The string is the one `pulumi.dynamic.Resource` registers,
// captured under mocks by the harness.
import type { Measure } from "./types";

export const measureProviderBytes: Measure = async (subject, side) => {
  side.figures.providerBytes = Buffer.byteLength(subject.provider, "utf8");
  side.details["providerBytes"] = { requires: [...new Set(subject.provider.match(/require\("[^"]+"\)/g) ?? [])] };
};
