// What each side of a check was read from, from its evidence: a config-drift source (file, URL,
// AWS Config) or a tls-certificate target. Files are resolved against the config file's directory
// (as the check read them) and shown relative to the workspace. The evidence is already redacted
// and holds no userinfo or query string; nothing else is read here.
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ConfigDriftEvidence, SourceEvidence } from "../../checks/config-drift/evidence.js";
import type { TlsCertificateEvidence } from "../../checks/tls-certificate/evidence.js";
import type { CheckReport, Side } from "../engine/types.js";
import { readEvidence, type EvidenceReader } from "../report/evidence-reader.js";

export interface SourcePaths {
  workspace: string;
  /** Directory of the config file: relative file sources resolve against it. */
  configDir: string;
}

export interface FileSource {
  /** Absolute path, as the check read it. */
  path: string;
  format: "json" | "yaml";
}

/** A config-drift side read from a file, or null (another kind, another source, an older report). */
export function driftFileSource(check: CheckReport, side: Side, paths: SourcePaths): FileSource | null {
  const src = driftSource(check, side);
  if (!src) return null;
  const file = src.str("file");
  const format = src.str("format");
  if (file === null || (format !== "json" && format !== "yaml")) return null;
  return { path: resolve(paths.configDir, file), format };
}

/** Each side in words ("configs/standby/app.json", "https://cfg.example/app", "AWS Config us-west-2, account 2222…"), or null. */
export function sideSources(check: CheckReport, paths: SourcePaths): Record<Side, string> | null {
  if (check.kind === "config-drift") {
    const p = driftSource(check, "primary");
    const s = driftSource(check, "standby");
    const pd = p && describe(p, paths);
    const sd = s && describe(s, paths);
    return pd && sd ? { primary: pd, standby: sd } : null;
  }
  if (check.kind === "tls-certificate") {
    const ev = readEvidence<TlsCertificateEvidence>(check.evidence);
    const p = ev.obj("primary")?.str("target");
    const s = ev.obj("standby")?.str("target");
    return p && s ? { primary: p, standby: s } : null;
  }
  return null;
}

function driftSource(check: CheckReport, side: Side): EvidenceReader<SourceEvidence> | null {
  if (check.kind !== "config-drift") return null;
  return readEvidence<ConfigDriftEvidence>(check.evidence).obj("sources")?.obj(side) ?? null;
}

function describe(src: EvidenceReader<SourceEvidence>, paths: SourcePaths): string | null {
  const pointer = src.str("pointer");
  const at = pointer ? ` at ${pointer}` : "";
  const file = src.str("file");
  if (file !== null) return display(paths.workspace, resolve(paths.configDir, file)) + at;
  const url = src.str("url");
  if (url !== null) return url + at;
  const kube = src.obj("kubernetes");
  const context = kube?.str("context");
  if (kube && context) return [`Kubernetes context ${context}`, kube.str("namespace") ? `namespace ${kube.str("namespace")}` : null].filter(Boolean).join(", ");
  const tf = src.obj("terraformState");
  if (tf) {
    const tfFile = tf.str("file");
    if (tfFile !== null) return `Terraform state ${display(paths.workspace, resolve(paths.configDir, tfFile))}`;
    const where = tf.str("url") ?? tf.str("s3");
    return where === null ? null : `Terraform state ${where}`;
  }
  const aws = src.obj("awsConfig");
  const region = aws?.str("region");
  if (!aws || !region) return null;
  const accounts = aws.strings("accounts");
  const aggregator = aws.str("aggregator");
  const parts = [`AWS Config ${region}`];
  if (accounts.length) parts.push(`account${accounts.length === 1 ? "" : "s"} ${accounts.join(", ")}`);
  if (aggregator) parts.push(`aggregator ${aggregator}`);
  return parts.join(", ");
}

/** Relative to the workspace when inside it, `/` separators. */
export function display(workspace: string, abs: string): string {
  const rel = relative(workspace, abs);
  const inside = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  const out = inside ? rel : abs;
  return sep === "/" ? out : out.split(sep).join("/");
}
