// The AWS Config probe shared by config-drift and aws-credentials: options, the per-side client
// (the SDK is imported lazily, on the first read), configuration items, and the streaming reader.
export { classifyAwsError, defaultRequestTimeout, makeClient, type AwsSideClient, type Operation, type Side } from "./client.js";
export { configurationOf, displayName, identity, NOT_CURRENT, prepareItem, tagMap, type ConfigItem } from "./items.js";
export {
  awsConfigQuerySchema,
  awsConfigSchema,
  awsConfigSourceSchema,
  awsConnectionSchema,
  awsConnectionShape,
  resourceTypeSchema,
  selectionIds,
  type AwsConfigQuery,
  type AwsConfigSource,
  type AwsConnection,
  type Selection,
} from "./options.js";
export { BATCH_KEYS, mapLimit, PAGE_LIMIT, queryExpression, readSide, recorderState, UNPROCESSED_ROUNDS, type ItemBatch, type RecorderState, type SideRead } from "./read.js";
