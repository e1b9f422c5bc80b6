import { memoryStore } from './stores/memory.js';
import { describeTokenStore } from './test-support/store-suite.js';

describeTokenStore('memoryStore', () => memoryStore());
