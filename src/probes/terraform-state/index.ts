// Terraform (and OpenTofu) state as a source for config-drift: options, parsing of the state
// file (v4) and of `terraform show -json`, and reading from a file, an HTTP backend or S3.
export { s3StateSchema, stateLocation, terraformStateSchema, terraformStateSourceSchema, type S3StateLocation, type TerraformStateSource } from "./options.js";
export { indexPart, parseState, resourceAddress, stateFromJson, type ParsedState, type StateInstance, type StatePathStep } from "./parse.js";
export { MAX_STATE_BYTES, readState, type ModifiedFrom, type StateRead } from "./read.js";
