// The AWS FIS probe: options, the client (the SDK is imported lazily, on the first read) and the
// reader of a drill template's experiments.
export { classifyFisError, makeFisClient, type FisClient, type FisOperation } from "./client.js";
export { awsFisSchema, type AwsFisSource } from "./options.js";
export { EVIDENCE_EXPERIMENTS, MAX_PAGES, MAX_TEMPLATES, readFisDrill, type FisDrillRead, type FisExperiment } from "./read.js";
