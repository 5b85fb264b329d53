// What a Kubernetes reader hands its callers: objects as the API serves them, and one side's cluster.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface KubeCluster {
  /** context name, API server origin (no credentials), namespace used */
  readonly describe: { context: string; server: string; namespace: string };
  /** Requests sent so far (discovery included): for benches and tests. */
  readonly requests: number;
  /** GET one object; null on 404 (the object is missing); ProbeError otherwise. */
  get(apiVersion: string, kind: string, name: string): Promise<KubeObject | null>;
  /** LIST with labelSelector, following `continue` (limit per page); 410 Expired -> ProbeError. With onPage each page is handed on as it arrives and not kept (the result is then empty). */
  list(apiVersion: string, kind: string, opts?: { selector?: string; limit?: number; onPage?: (items: KubeObject[]) => void }): Promise<KubeObject[]>;
  /** Closes the connections of this side. */
  close(): void;
}
