// The packages whose public types need no Node.js types, without express and redis (whose types
// load Node's): an error here means a .d.ts leans on types the consumer may not have.
export { cdktf } from './cdktf.js';
export { core } from './core.js';
export { emulator } from './emulator.js';
export { postman } from './postman.js';
