export { type LoadedConfig, type LoadConfigParameters, loadConfig, parseConfigText } from './loadConfig.js'
export * from './schema.js'
