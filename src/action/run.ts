// The Action, start to finish: inputs -> config (masking every resolved secret) -> scan ->
// JSON report (always) and extra formats -> annotations -> job summary -> outputs -> exit code.
// A secret that is not set makes only the checks that need it unknown/not-configured. With
// validate-only the config is validated offline (no secret read) and nothing runs.
// Exit codes and their `failure-reason` output, as the CLI: 0 ready enough (""), 1 not ready
// ("not-ready"), 2 invalid config or inputs ("invalid-config"), 3 internal error ("internal-error").
// No shell, no child process: inputs are only ever used as paths and values.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/errors.js";
import { loadConfigFile, type LoadedConfig } from "../config/load.js";
import { redact, secrets as processSecrets } from "../core/secrets.js";
import { scan } from "../engine/scan.js";
import { exitCodeFor, worstFirst } from "../engine/score.js";
import { selectChecks } from "../engine/select.js";
import { render } from "../report/index.js";
import { UnsafePathError } from "../fs/safe-write.js";
import { checkAnnotations, configIssueAnnotations, type AnnotationPlan, type Locate } from "./annotations.js";
import { FileLocator } from "./locate.js";
import { display, driftFileSource, sideSources, type SourcePaths } from "./sources.js";
import { configTrust, InputError, readInputs, type ActionInputs } from "./inputs.js";
import { reportTargets, writeReports, type ReportTarget } from "./report-files.js";
import { Runner } from "./runner-contract.js";
import { failureSummary, invalidConfigSummary, scanSummary, validSummary } from "./summary.js";
import { EXIT, type ExitCode } from "../core/exit-codes.js";

/** Every output the Action sets; action.yml declares exactly these (tested). */
export const OUTPUT_NAMES = ["score", "status", "failed", "unknown", "report-path", "failure-reason"] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
export type FailureReason = "" | "not-ready" | "invalid-config" | "internal-error";

/**
 * The runner masks every later log line that contains a masked value, inside other words too: so
 * mask what the registry redacts anywhere (its fragment-safe secrets, every encoded form and URL
 * part included), never a short or common secret that would mask "fail" or a service name.
 */
function maskSecrets(runner: Runner): void {
  for (const v of processSecrets.fragmentSafeValues()) runner.addMask(v);
}

function emit(runner: Runner, plan: AnnotationPlan): void {
  for (const a of plan.annotations) runner.annotate(a.level, a.properties, a.message);
}

export interface RunResult {
  exitCode: ExitCode;
  outputs: Record<OutputName, string>;
}

export async function run(env: NodeJS.ProcessEnv = process.env, runner = new Runner(env), signal?: AbortSignal): Promise<RunResult> {
  const outputs: Record<OutputName, string> = { score: "", status: "", failed: "", unknown: "", "report-path": "", "failure-reason": "" };
  const finish = (exitCode: RunResult["exitCode"], reason: FailureReason): RunResult => {
    outputs["failure-reason"] = reason;
    return { exitCode, outputs };
  };
  try {
    const result = await runScan(env, runner, outputs, signal);
    return finish(result.exitCode, result.reason);
  } catch (err) {
    // Anything unexpected: the tool broke, which is not the same as "not ready".
    const message = redact(err instanceof Error ? err.message : String(err));
    runner.annotate("error", { title: "standby: internal error" }, message);
    if (err instanceof Error && err.stack) runner.untrusted(redact(err.stack));
    runner.appendSummary(failureSummary("internal error", message));
    return finish(EXIT.INTERNAL, "internal-error");
  } finally {
    runner.setOutputs(outputs);
  }
}

async function runScan(
  env: NodeJS.ProcessEnv,
  runner: Runner,
  outputs: Record<OutputName, string>,
  signal?: AbortSignal,
): Promise<{ exitCode: ExitCode; reason: FailureReason }> {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());

  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return usageError(runner, "invalid input", err.message);
  }

  const workDir = resolve(workspace, inputs.workingDirectory);
  if (!isDirectory(workDir)) {
    return usageError(runner, "invalid input", `input 'working-directory': ${display(workspace, workDir)} is not a directory`);
  }

  // Config: every ${env:}/${file:} value is masked as soon as it is resolved, valid config or not.
  const configPath = resolve(workDir, inputs.config);
  const configName = display(workspace, configPath);
  // standby.yml is code: one from a pull request runs no command and reaches only what is allowed.
  const trust = configTrust(inputs, env);
  runner.log(`standby: ${trust.untrusted ? "untrusted-config mode" : "trusted config"}: ${trust.why}`);
  const untrusted = trust.untrusted ? { workspace: workDir, allowedEnv: inputs.allowedEnv, allowedHosts: inputs.allowedHosts } : undefined;
  // No config at all (a first workflow, a wrong input): where it looked and what to set.
  if (!existsSync(configPath)) {
    const dir = dirname(configPath) === workspace ? "." : display(workspace, dirname(configPath));
    return usageError(
      runner,
      "no config found",
      `no config found: input 'config' is ${inputs.config}, and ${configName} does not exist (looked in ${dir}${isDirectory(dirname(configPath)) ? "" : ", a directory that does not exist"}); set input 'config' to your standby.yml, or start from \`npx standby demo\` and examples/quickstart/standby.yml`,
    );
  }
  let config: LoadedConfig;
  const validateOnly = inputs.validateOnly;
  try {
    config = loadConfigFile(configPath, { displayName: configName, env, untrusted, refs: validateOnly ? "offline" : "per-check", inputFiles: validateOnly });
  } catch (err) {
    maskSecrets(runner);
    if (!(err instanceof ConfigError)) throw err;
    const n = err.issues.length;
    runner.log(`standby: invalid config ${configName} (${n} problem${n === 1 ? "" : "s"})`);
    const plan = configIssueAnnotations(err.issues);
    emit(runner, plan);
    if (plan.omitted.error > 0) runner.log(`standby: ${plan.omitted.error} more problem(s) not annotated (GitHub's limit is 10 errors per step); see the job summary`);
    runner.appendSummary(invalidConfigSummary(err.issues, undefined, validateOnly ? "standby validate --offline" : undefined));
    return { exitCode: EXIT.INVALID, reason: "invalid-config" };
  }
  maskSecrets(runner);
  const unresolved = config.unresolved ?? [];
  if (validateOnly) {
    runner.log(`standby: ${configName} is valid (validated offline: ${unresolved.length} value(s) holding \${env:}/\${file:} not read); validate-only: no check ran`);
    runner.appendSummary(validSummary(config, configName, unresolved.length));
    return { exitCode: EXIT.OK, reason: "" };
  }
  // Config text (a ${file:} name may hold anything): shown with workflow commands stopped.
  if (unresolved.length > 0) runner.untrusted(unresolved.map((u) => `standby: warning: ${formatIssue(u)}`).join("\n"));

  const checks = selectChecks(config.checks, inputs.only);
  if (checks.length === 0 && inputs.only.length > 0) {
    return usageError(runner, "invalid input", `input 'only': ${inputs.only.join(", ")} matches no check; ids: ${config.checks.map((c) => c.id).join(", ")}`);
  }

  // min-score overrides scoring.minScore; scan() applies the same status rules to it.
  const effective: LoadedConfig = inputs.minScore === undefined ? config : { ...config, minScore: inputs.minScore };
  // Reports: JSON always, then the extra formats beside it; inside the workspace, never through a
  // link. Checked before the scan so a planted link costs no scan; checked again when writing.
  const show = (abs: string): string => display(workspace, abs);
  let targets: ReportTarget[];
  try {
    targets = reportTargets(workspace, resolve(workDir, inputs.reportPath), inputs.formats, show);
  } catch (err) {
    if (!(err instanceof UnsafePathError)) throw err;
    return usageError(runner, "cannot write the report", err.message);
  }

  runner.log(`standby: scanning ${checks.length} check${checks.length === 1 ? "" : "s"} from ${configName}`);
  const report = await scan(effective, checks, { signal });

  try {
    writeReports(report, targets, show);
  } catch (err) {
    if (!(err instanceof UnsafePathError)) throw err;
    return usageError(runner, "cannot write the report", err.message);
  }
  const files = targets.map((t) => show(t.path));

  const exitCode = exitCodeFor(report.status, inputs.failOn);
  outputs.score = String(report.score);
  outputs.status = report.status;
  outputs.failed = String(report.checks.filter((c) => c.status === "fail").length);
  outputs.unknown = String(report.checks.filter((c) => c.status === "unknown").length);
  outputs["report-path"] = files[0]!;

  // Drift findings on the drifted key of their file; the rest on the check's line of standby.yml.
  const paths: SourcePaths = { workspace, configDir: dirname(configPath) };
  const locator = new FileLocator(workspace);
  const locate: Locate = (check, finding, side) => {
    const src = driftFileSource(check, side, paths);
    const at = finding.at?.[side];
    return src && at ? locator.locate(src.path, src.format, at) : null;
  };
  const plan = checkAnnotations(report, configName, locate);
  emit(runner, plan);
  const { error, warning } = plan.omitted;
  if (error + warning > 0) {
    runner.log(`standby: ${error} more error(s) and ${warning} more warning(s) not annotated (GitHub's limit is 10 of each per step); see the job summary`);
  }
  const sources = worstFirst(report.checks).flatMap((c) => {
    const s = sideSources(c, paths);
    return s ? [{ check: c.id, ...s }] : [];
  });

  runner.appendSummary(
    scanSummary(report, {
      files,
      annotationsOmitted: plan.omitted,
      sources,
      ...(inputs.minScore !== undefined && inputs.minScore !== config.minScore ? { minScoreOverride: { input: inputs.minScore, config: config.minScore } } : {}),
    }),
  );

  runner.group("standby report", () => runner.untrusted(render(report, "text", { color: false })));
  runner.log(
    `standby: ${report.status}, score ${report.score}/100 (min ${report.minScore}); ` +
      `${outputs.failed} failed, ${outputs.unknown} unknown; fail-on ${inputs.failOn} -> exit ${exitCode}; report ${files.join(", ")}`,
  );
  return { exitCode, reason: exitCode === EXIT.OK ? "" : "not-ready" };
}

function usageError(runner: Runner, title: string, message: string): { exitCode: typeof EXIT.INVALID; reason: "invalid-config" } {
  const safe = redact(message);
  runner.annotate("error", { title: `standby: ${title}` }, safe);
  runner.appendSummary(failureSummary(title, safe));
  return { exitCode: EXIT.INVALID, reason: "invalid-config" };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
