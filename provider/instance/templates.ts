// Template lookups: what an instance's template says about its default port, privacy and what
// serves its URL, read once per name per process.
import { NotFoundError } from "../core/errors";
import type { InstancesApi } from "./api";
import type { Instance } from "./api-schema";
import { templateInfoFromPorts, type TemplateInfo } from "./outputs";

/** The template cache of one provider. Lookups belong to the workspace of the key they were made with. */
export class TemplateLookups {
  private readonly templates = new Map<string, Promise<TemplateInfo>>();

  /** Forgets every lookup (the key, so the workspace, may have changed). */
  clear(): void {
    this.templates.clear();
  }

  /**
   * Default port, privacy and what serves the URL, for an instance's template. 2026-06
   * instances say the port with `ports` (an empty list is private). System templates
   * (`agent37-*`) serve the gateway on 3737; workspace templates are read once per name per
   * process and run the user's app. A template that is gone (deleted; its instances keep
   * running) is taken to run an app on a port. The URL is never blanked on 2026-08: whether a
   * port-less image listens on anything cannot be known in advance.
   */
  info(api: InstancesApi, instance: Instance): Promise<TemplateInfo> {
    const name = instance.template ?? "agent37-hermes";
    const runs = name.startsWith("agent37-") ? "gateway" : "app";
    const fromPorts = templateInfoFromPorts(instance);
    if (fromPorts !== undefined) return Promise.resolve({ ...fromPorts, runs });
    if (runs === "gateway") return Promise.resolve({ defaultPort: 3737, private: false, runs });
    let cached = this.templates.get(name);
    if (cached === undefined) {
      cached = api.template(name).then(
        (t): TemplateInfo => ({ defaultPort: t.default_port ?? null, private: false, runs: (t.agents ?? []).length > 0 ? "gateway" : "app" }),
        (err: unknown) => {
          this.templates.delete(name);
          if (err instanceof NotFoundError) return { defaultPort: 3737, private: false, runs };
          throw err;
        },
      );
      this.templates.set(name, cached);
    }
    return cached;
  }
}
