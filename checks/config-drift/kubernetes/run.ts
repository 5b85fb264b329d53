// Both sides read from Kubernetes clusters: each side's cluster is opened (kubeconfig + context),
// its objects read (GET by name, or LIST by selector following `continue`), and each page paired
// and judged as it arrives while the next page is in flight.
import { readSides, verdict, type CheckContext, type CheckOutcome, type Side } from "../../../src/kit/index.js";
import { openCluster, type KubeCluster } from "../../../src/probes/kubernetes/index.js";
import type { ConfigDriftEvidence, SourceEvidence } from "../evidence.js";
import type { PairedCompareOptions } from "../pack-judge.js";
import { KubeDriftComparison, type SideCounts } from "./compare.js";
import type { KubernetesSource } from "./options.js";

type Sources = Record<Side, SourceEvidence>;

export async function runKubernetes(
  sources: Record<Side, KubernetesSource>,
  targets: Record<Side, string>,
  described: Sources,
  options: PairedCompareOptions,
  ctx: CheckContext,
): Promise<CheckOutcome<ConfigDriftEvidence>> {
  const p = sources.primary;
  const comparison = new KubeDriftComparison({ ...options, apiVersion: p.apiVersion, kind: p.kind, mode: p.name !== undefined ? "name" : "selector" });
  const reached: Partial<Record<Side, KubeCluster["describe"]>> = {};
  const read = await readSides(ctx, targets, async (side): Promise<SideCounts> => {
    const src = sources[side];
    let cluster: KubeCluster | undefined;
    try {
      cluster = await openCluster({ context: src.context, kubeconfig: src.kubeconfig, namespace: src.namespace }, side, ctx);
      reached[side] = cluster.describe;
      if (src.name !== undefined) {
        const obj = await cluster.get(src.apiVersion, src.kind, src.name);
        comparison.setNamed(side, obj);
        return { objects: obj ? 1 : 0, requests: cluster.requests };
      }
      let objects = 0;
      await cluster.list(src.apiVersion, src.kind, {
        selector: src.selector!,
        onPage: (items) => {
          objects += items.length;
          comparison.add(side, items);
        },
      });
      return { objects, requests: cluster.requests };
    } catch (err) {
      // The result will be unknown: no more CPU for the other side's objects.
      comparison.stop();
      throw err;
    } finally {
      cluster?.close();
    }
  });
  const evidenceSources = { primary: withReached(described.primary, reached.primary), standby: withReached(described.standby, reached.standby) };
  if (read.undecided.length > 0) {
    return verdict({ findings: [], undecided: read.undecided, measured: null, evidence: { compared: null, sources: evidenceSources }, passSummary: () => "not compared" });
  }
  const out = comparison.finish({ primary: read.primary!, standby: read.standby! });
  return { ...out, evidence: { ...out.evidence!, sources: evidenceSources } };
}

/** The server's origin and the namespace actually read, once the side's cluster was opened. */
function withReached(d: SourceEvidence, reached: KubeCluster["describe"] | undefined): SourceEvidence {
  if (!reached || !("kubernetes" in d)) return d;
  return { kubernetes: { ...d.kubernetes, server: reached.server, namespace: reached.namespace } };
}
