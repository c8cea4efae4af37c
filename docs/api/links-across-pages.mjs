// A typedoc plugin. The reference is organised by resource (one module per resource, see
// typedoc.json), while the package's doc comments were written for one module: a comment of one
// resource may link by bare name to another resource (`{@link Agent37DomainVerification}` in
// Agent37Domain's comment), which typedoc looks for only in the comment's own module. Before
// typedoc resolves links, this points each such link at the one exported declaration of that
// name in the whole reference. A name that matches none or several is left alone, so typedoc
// still reports it (and `treatWarningsAsErrors` fails the build).
import { Converter, ReflectionKind, ReflectionSymbolId } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    const byName = new Map();
    for (const r of Object.values(project.reflections)) {
      if (!r.kindOf(ReflectionKind.SomeExport) || r.kindOf(ReflectionKind.Reference) || r.parent?.kindOf(ReflectionKind.Module) !== true) continue;
      byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
    }
    const unresolved = (part) =>
      part.kind === "inline-tag" &&
      (part.tag === "@link" || part.tag === "@linkcode" || part.tag === "@linkplain") &&
      (part.target === undefined || (part.target instanceof ReflectionSymbolId && project.getReflectionsFromSymbolId(part.target).length === 0));
    const fix = (parts) => {
      for (const part of parts) {
        if (!unresolved(part)) continue;
        const name = part.text.trim().split(/[\s|]/)[0];
        const found = byName.get(name);
        if (found?.length === 1) part.target = found[0];
      }
    };
    for (const r of Object.values(project.reflections)) {
      if (r.comment === undefined) continue;
      fix(r.comment.summary);
      for (const tag of r.comment.blockTags) fix(tag.content);
    }
  });
}
