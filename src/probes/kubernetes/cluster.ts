// One side's cluster: TODO (first interface commit).
import type { CheckContext, Side } from "../../engine/types.js";
import { ProbeError } from "../errors.js";
import type { KubeConnection } from "./options.js";
import type { KubeCluster } from "./types.js";

export async function openCluster(conn: KubeConnection, side: Side, ctx: CheckContext): Promise<KubeCluster> {
  void ctx;
  throw new ProbeError("error", `${side} ${conn.context}: not implemented yet`);
}
