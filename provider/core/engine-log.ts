// The engine's `Log` service (`pulumirpc.Engine`, at the address the engine starts every
// provider process with) as the sink of progress lines: each line goes as an ephemeral INFO
// message with the URN of the resource being served, which the engine shows as that resource's
// status (the row's last column; in a non-interactive run, one line of output per message) and
// leaves out of the diagnostics summary. With no URN the line shows on the stack's row.
//
// The stubs and the gRPC runtime are handed in by the door (its @pulumi/pulumi's own generated
// files), so this module loads nothing until a first line is sent. Lines go one after another
// (as the SDK's own `log` sends them), so a line and the empty one that clears it arrive in order;
// a failed or slow send is dropped after 2 s: progress never fails an operation, and holds it up
// only at the end of a wait that showed a line, until the clearing line is delivered.
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type { ProgressSink } from "./progress";

export interface EngineLogModules {
  grpc: typeof grpcTypes;
  enginepb: typeof engineTypes;
  engineGrpc: typeof engineGrpcTypes;
}

/** How long one Log call may take before its line is given up. */
const SEND_TIMEOUT_MS = 2_000;

export class EngineStatus {
  private client: engineGrpcTypes.EngineClient | undefined;
  private queue: Promise<void> = Promise.resolve();

  /** `modules` is called once, at the first line. */
  constructor(
    private readonly address: string,
    private readonly modules: () => EngineLogModules,
  ) {}

  /** The sink of the resource `urn` ("" when the door does not know it). */
  sink(urn: string): ProgressSink {
    return { report: (message) => this.send(urn, message), flush: () => this.queue };
  }

  /** Closes the connection (the process may exit with lines still unsent). */
  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private send(urn: string, message: string): void {
    this.queue = this.queue.then(
      () =>
        new Promise<void>((resolve) => {
          try {
            const { grpc, enginepb, engineGrpc } = this.modules();
            this.client ??= new engineGrpc.EngineClient(this.address, grpc.credentials.createInsecure());
            const req = new enginepb.LogRequest().setSeverity(enginepb.LogSeverity.INFO).setMessage(message).setUrn(urn).setEphemeral(true);
            this.client.log(req, new grpc.Metadata(), { deadline: Date.now() + SEND_TIMEOUT_MS }, () => resolve());
          } catch {
            resolve();
          }
        }),
    );
  }
}

/**
 * The engine's address among a provider process's arguments: the engine passes its flags
 * (`--logtostderr`, `-v=9`, `--tracing <endpoint>`) first and its own address last.
 */
export function engineAddressOf(args: readonly string[]): string | undefined {
  const last = args[args.length - 1];
  return last === undefined || last.startsWith("-") ? undefined : last;
}
