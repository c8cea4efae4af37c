// What every resource's provider shares: settings from `configure` (or the environment), one
// client for them, and errors explained before Pulumi shows them.
import type * as pulumi from "@pulumi/pulumi";
import type { Agent37Client } from "./http";
import { Connection, type ConnectionOptions } from "./connection";
import { explain } from "./explain";

export abstract class ConnectedProvider {
  protected readonly connection: Connection;

  constructor(options: ConnectionOptions = {}) {
    this.connection = new Connection(options);
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  protected client(): Agent37Client {
    return this.connection.client().client;
  }

  /** Runs `run`; an error leaves saying what was being done and what to do about it. */
  protected async explained<T>(run: () => Promise<T>, operation: string, advice?: Readonly<Record<string, string>>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw explain(err, operation, [], advice === undefined ? {} : { advice });
    }
  }
}
