// Every package at once, as one project would use them.
export { cdktf } from './cdktf.js';
export { core } from './core.js';
export { emulator } from './emulator.js';
export { server } from './express.js';
export { postman } from './postman.js';
export { store } from './redis.js';
