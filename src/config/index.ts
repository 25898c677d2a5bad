export type { ConfigFiles, FileRoot } from './ConfigFiles.js'
export { type LoadedConfig, type ParseConfigTextDeps, type ParseConfigTextParameters, parseConfigText } from './parseConfigText.js'
export * from './schema.js'
