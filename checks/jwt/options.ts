// Options of the jwt kind. A side names where its token comes from (at most one of token,
// command, url) and where its keys are published (jwks, or issuer discovery); either half may be
// left out, so a check can compare two JWKS without tokens, or watch a token without keys.
// command, url, jwks and issuer are the kit's building blocks: untrusted-config mode sees them.
import { z } from "zod";
import { duration } from "../../src/core/duration.js";
import { commandOption, expiryOptions, httpUrlOption } from "../../src/kit/index.js";

export const TOKEN_SOURCES = ["token", "command", "url"] as const;
export type TokenSourceKind = (typeof TOKEN_SOURCES)[number];

const sideSchema = z
  .strictObject({
    token: z.string().min(1).optional().describe("The token itself; write ${env:NAME} or ${file:path}"),
    command: commandOption(z.string().min(1)).optional().describe("argv of a command printing the token (no shell)"),
    url: httpUrlOption().optional().describe("HTTP endpoint returning the token as text, or JSON with pointer"),
    headers: z.record(z.string(), z.string()).optional().describe("Request headers for url"),
    pointer: z
      .string()
      .regex(/^\/.*/, "expected a JSON pointer like /access_token")
      .optional()
      .describe("JSON pointer to the token in url's JSON response"),
    jwks: httpUrlOption().optional().describe("JWKS URL to verify the signature against"),
    issuer: httpUrlOption().optional().describe("OIDC issuer: keys found through /.well-known/openid-configuration"),
  })
  .superRefine((side, ctx) => {
    const sources = TOKEN_SOURCES.filter((k) => side[k] !== undefined);
    if (sources.length > 1) ctx.addIssue({ code: "custom", message: `give one token source, not ${sources.join(" and ")}` });
    if (!side.url && (side.headers || side.pointer)) ctx.addIssue({ code: "custom", message: "headers and pointer only apply to url" });
    if (sources.length === 0 && !side.jwks && !side.issuer) {
      ctx.addIssue({ code: "custom", message: "expected a token source (token, command or url) and/or keys (jwks or issuer)" });
    }
  });
export type SideSpec = z.output<typeof sideSchema>;

export const optionsSchema = z.object({
  primary: sideSchema.describe("Primary side: token source and/or keys"),
  standby: sideSchema.describe("Standby side: token source and/or keys"),
  ...expiryOptions({ warn: "7d", fail: "1d" }, "a token"),
  clockTolerance: duration.prefault("60s").describe("Clock skew accepted on exp, nbf and iat (0 for none)"),
  showSubject: z.boolean().default(false).describe("Show the sub claim in evidence (hidden by default: often a user or client id)"),
});
export type Options = z.output<typeof optionsSchema>;
