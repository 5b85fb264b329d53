// What a config-drift result carries for renderers. `compared` tells a comparison from none:
// a number (0 included) is how many values were compared, null means nothing was compared (a
// side could not be read, no AWS pair could be compared), so "0 drifts" must not be shown.
import type { RecorderState } from "../../src/probes/aws-config/index.js";
import type { DriftCounts } from "./diff.js";

/** Differences by kind (changed, missing, extra, weaker, accepted, info), over all of them. */
export type { DriftCounts };

/**
 * What one side was read from, safe to show: a file as written in the config (relative to the
 * config file) and its pointer; a URL's origin and path (no userinfo, no query string; the origin
 * only when a secret is part of it); an AWS Config region and the accounts declared or seen.
 */
export type SourceEvidence =
  | { file: string; format: "json" | "yaml"; pointer?: string }
  | { url: string; pointer?: string }
  | { awsConfig: { region: string; accounts: string[]; aggregator?: string } }
  | { terraformState: { file: string } | { url: string } | { s3: string; region: string } }
  | { kubernetes: KubeSourceEvidence };

/** A kubeconfig context, the API server's origin once reached (no credentials), the namespace read. */
export interface KubeSourceEvidence {
  context: string;
  server?: string;
  namespace?: string;
  apiVersion: string;
  kind: string;
  name?: string;
  selector?: string;
}

interface SourcesEvidence {
  /** Set by every run of this version; absent in older reports (history). */
  sources?: { primary: SourceEvidence; standby: SourceEvidence };
}

/** Nothing was compared: the summary says why. */
export interface NotComparedEvidence extends SourcesEvidence {
  compared: null;
}

interface ComparedEvidence extends DriftCounts, SourcesEvidence {
  /** Scalar values of the normalised primary that were compared. */
  compared: number;
  /** Side vars whose primary values were replaced by the standby's before comparing. */
  substitutedVars: string[];
  /** Set when more findings existed than the result keeps (MAX_FINDINGS): how many it kept. */
  findingsShown?: number;
}

/** Two documents (file or URL sources). */
export interface DocumentDriftEvidence extends ComparedEvidence {
  primaryValues: number;
  standbyValues: number;
}

/** Paired resources (AWS Config items, Kubernetes objects). `compared` is null when no pair could be compared. */
interface PairedDriftEvidence extends Omit<ComparedEvidence, "compared"> {
  compared: number | null;
  /** `AWS::RDS::DBCluster`, `apps/v1 Deployment` */
  resourceType: string;
  /** Pairs made (compared or not: one-sided, deleted, not recorded). */
  pairs: number;
  comparedPairs: number;
  /** Requests sent per side (logical calls, not SDK attempts; Kubernetes: discovery included). */
  requests: { primary: number; standby: number };
  /** The type's or kind's pack in force (null: none or `packs: false`) and how many rules apply. */
  rules: { pack: string | null; total: number };
}

/** Two sides read from AWS Config. */
export interface AwsDriftEvidence extends PairedDriftEvidence {
  primaryResources: number;
  standbyResources: number;
  recorder: { primary: RecorderState; standby: RecorderState };
  /** Global resources recorded on one side only, not compared. */
  globalOneSided?: number;
}

/** What was read of one side's Terraform state (never a value from it). */
export interface TerraformStateEvidence {
  format: "state-v4" | "show-json";
  terraformVersion: string | null;
  /** State file only: which state (lineage) and how many writes it has seen (serial). */
  lineage: string | null;
  serial: number | null;
  bytes: number;
  /** Resource instances in the state, and how many the selection kept. */
  instances: number;
  selected: number;
  /** When the state was last written and what said so (S3 LastModified, HTTP Last-Modified, file mtime). */
  modified: { at: string; from: string } | null;
}

/** Two sides read from Terraform states. `compared` is null when no pair could be compared. */
export interface TerraformDriftEvidence extends Omit<ComparedEvidence, "compared"> {
  compared: number | null;
  resourceTypes: string[];
  pairs: number;
  comparedPairs: number;
  primaryResources: number;
  standbyResources: number;
  /** Resource types whose Terraform pack applied. */
  packs: string[];
  states: { primary: TerraformStateEvidence; standby: TerraformStateEvidence };
}


/** Two sides read from Kubernetes clusters. */
export interface KubeDriftEvidence extends PairedDriftEvidence {
  primaryObjects: number;
  standbyObjects: number;
}

export type ConfigDriftEvidence = DocumentDriftEvidence | AwsDriftEvidence | TerraformDriftEvidence | KubeDriftEvidence | NotComparedEvidence;
