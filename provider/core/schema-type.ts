// The public declarations of this package name no type of its dependencies: a consumer compiles
// them under any tsconfig (no `skipLibCheck`, no `esModuleInterop`, any `moduleResolution`).
// So what a signature needs of a zod schema is written here, structurally (a zod schema is one),
// and each plain type that stands for a schema's output is pinned to it with `Same`.

/** What is kept of a validation issue: where, what, and the fields the failure messages read. */
export interface SchemaIssue {
  readonly code: string;
  readonly path: PropertyKey[];
  readonly message: string;
}

/** A schema that parses `unknown` into `T` (the validation library's schemas, whose output is `T`). */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: SchemaIssue[] } };
}

/**
 * `true` when `A` and `B` are the same type, optional, `readonly` and index signatures included;
 * `false` otherwise. With `Assert`, a compile-time proof that a plain type matches its schema:
 * `type _Plain = Assert<Same<z.output<typeof FooSchema>, Foo>>`.
 */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only for `true`. */
export type Assert<T extends true> = T;
