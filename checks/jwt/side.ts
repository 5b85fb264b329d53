// Everything known about one side: its token (decoded, never kept in evidence) and its JWKS.
// The token and the keys are fetched independently, so one failing leaves the other's evidence.
import type { CheckContext } from "../../src/engine/types.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { decode, type Decoded } from "./claims.js";
import { loadJwks, type LoadedJwks } from "./jwks.js";
import type { SideSpec } from "./options.js";
import { obtainToken, type ObtainedToken, type Side } from "./token-source.js";

type Jose = typeof import("jose");

export interface SideState {
  side: Side;
  spec: SideSpec;
  token: (ObtainedToken & Decoded) | null;
  jwks: LoadedJwks | null;
  failures: ProbeError[];
}

export async function readSide(jose: Jose, side: Side, spec: SideSpec, ctx: CheckContext): Promise<SideState> {
  const state: SideState = { side, spec, token: null, jwks: null, failures: [] };
  const [token, jwks] = await Promise.allSettled([
    obtainToken(side, spec, ctx, ctx.timeoutMs).then((t) => (t ? { ...t, ...decode(jose, side, t.token) } : null)),
    loadJwks(jose, side, spec, ctx, ctx.timeoutMs),
  ]);
  if (token.status === "fulfilled") state.token = token.value;
  else state.failures.push(asProbeError(side, token.reason));
  if (jwks.status === "fulfilled") state.jwks = jwks.value;
  else state.failures.push(asProbeError(side, jwks.reason));
  return state;
}

function asProbeError(side: Side, err: unknown): ProbeError {
  if (!isProbeError(err)) throw err;
  return err.message.startsWith(side) ? err : new ProbeError(err.reason, `${side}: ${err.message}`, err.code ? { code: err.code } : {});
}

