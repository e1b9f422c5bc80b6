export {
  type CollectionOptions,
  createCollection,
  type PostmanCollection,
  STARTER_FOLDER_NAMES,
} from './collection.js';
export {
  createEnvironment,
  type EnvironmentOptions,
  type EnvironmentValue,
  type PostmanEnvironment,
} from './environment.js';
export { addLaceworkAuth, type InjectOptions } from './inject.js';
export {
  DEFAULT_VARIABLE_NAMES,
  generatePreRequestScript,
  SCRIPT_BEGIN_MARKER,
  SCRIPT_END_MARKER,
  type ScriptOptions,
  type TokenScope,
  type VariableNames,
} from './script.js';
export type { CollectionVariable } from './variables.js';
