// The registry: an explicit, sorted map of kinds (bundlers cannot follow a directory scan).
import type { CheckDefinition } from "../src/engine/types.js";
import awsCredentials from "./aws-credentials/index.js";
import cacheAge from "./cache-age/index.js";
import configDrift from "./config-drift/index.js";
import dnsFailover from "./dns-failover/index.js";
import drillRecency from "./drill-recency/index.js";
import jwt from "./jwt/index.js";
import replicationLag from "./replication-lag/index.js";
import sharedFate from "./shared-fate/index.js";
import splitBrain from "./split-brain/index.js";
import tlsCertificate from "./tls-certificate/index.js";

export const CHECKS: Readonly<Record<string, CheckDefinition>> = {
  "aws-credentials": awsCredentials,
  "cache-age": cacheAge,
  "config-drift": configDrift,
  "dns-failover": dnsFailover,
  "drill-recency": drillRecency,
  jwt,
  "replication-lag": replicationLag,
  "shared-fate": sharedFate,
  "split-brain": splitBrain,
  "tls-certificate": tlsCertificate,
};
