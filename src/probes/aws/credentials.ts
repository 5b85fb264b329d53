// Credentials of one identity (profile and/or role), shared by every client of a run that uses it:
// the role is assumed once per run, not once per check and side. The SDK's credential providers
// load lazily with the rest of the SDK.
import { createHash } from "node:crypto";
import type { AwsAccess } from "./options.js";
import { capResponses, MAX_RESPONSE_BYTES, type CappedStack } from "./response-cap.js";
import { namedExports, SILENT } from "./sdk.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialProvider = () => Promise<AwsCredentials>;

/**
 * What tells identities apart in the pool's keys: the profile, the role (with whether an external
 * id is set, and which STS endpoint), or the default chain. Never a secret: the chain's key id is
 * not known before it is resolved, and an external id is only marked present.
 */
export function identityKey(a: Pick<AwsAccess, "profile" | "roleArn" | "externalId" | "stsEndpoint">): string {
  if (!a.profile && !a.roleArn) return "default-chain";
  // JSON: a profile or role holding ";" cannot pose as another field.
  return JSON.stringify([`profile=${a.profile ?? ""}`, `role=${a.roleArn ?? ""}`, `external=${a.externalId ? hashOf(a.externalId) : ""}`, `sts=${a.stsEndpoint ?? ""}`]);
}

/**
 * A non-reversible tag, so two external ids differ in the key without the key holding one. A
 * collision would hand one check the other's session (a wrong external id read as right), so
 * a cryptographic hash, not a 32-bit one.
 */
function hashOf(s: string): string {
  return createHash("sha256").update(s).digest("base64url");
}

/** Credentials are refreshed this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/** A provider that resolves once and again only near expiry; a failure is not cached. */
export function memoize(provider: CredentialProvider, now: () => number = Date.now): CredentialProvider {
  let cached: { p: Promise<AwsCredentials>; until: number } | null = null;
  return () => {
    if (cached && now() < cached.until) return cached.p;
    const entry = { p: provider(), until: Infinity };
    cached = entry;
    entry.p.then(
      (c) => void (entry.until = c.expiration ? c.expiration.getTime() - REFRESH_BEFORE_MS : Infinity),
      () => void (cached === entry && (cached = null)),
    );
    return entry.p;
  };
}

/**
 * The provider for `access`: the profile, the role, or the SDK's default chain, resolved once per
 * run. The SDK keeps the shared config and credentials files it read for the process's life
 * unless told `ignoreCache`: a watch loop would use keys rotated away (or a profile's old
 * account) forever. Read once per run here, the files are read again by the next run.
 */
export async function credentialsFor(access: AwsAccess, requestHandler: object, stsRetryStrategy?: object): Promise<CredentialProvider> {
  const providers = namedExports(await import("@aws-sdk/credential-providers"));
  const base = access.profile ? providers.fromIni({ profile: access.profile, ignoreCache: true }) : providers.fromNodeProviderChain({ ignoreCache: true });
  if (!access.roleArn) return memoize(base as CredentialProvider);
  return memoize(
    providers.fromTemporaryCredentials({
      params: { RoleArn: access.roleArn, RoleSessionName: "standby", DurationSeconds: 900, ...(access.externalId ? { ExternalId: access.externalId } : {}) },
      masterCredentials: base,
      clientConfig: {
        region: access.region,
        maxAttempts: access.maxAttempts,
        ...(stsRetryStrategy ? { retryStrategy: stsRetryStrategy as never } : {}),
        requestHandler,
        logger: SILENT,
        ...(access.stsEndpoint ? { endpoint: access.stsEndpoint } : {}),
      },
      // STS answers are capped like every AWS answer the pool's clients read.
      clientPlugins: [{ applyToStack: (stack: unknown) => void capResponses(stack as CappedStack, MAX_RESPONSE_BYTES, `${access.region}: STS AssumeRole response`) }],
      logger: SILENT,
    }) as CredentialProvider,
  );
}
