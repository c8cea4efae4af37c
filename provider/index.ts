// Public exports of pulumi-agent37. Assembled here only; implementation lives beside it.
export const PACKAGE_NAME = "pulumi-agent37";
