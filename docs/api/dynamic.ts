/**
 * `pulumi-agent37/dynamic`: the entry a stack's state loads by package name
 * (`require("pulumi-agent37/dynamic").instanceProvider()`), one function per resource. A program
 * never imports it; it is documented because state written by any version calls exactly these.
 *
 * @module pulumi-agent37/dynamic
 */
export * from "../../provider/dynamic";
