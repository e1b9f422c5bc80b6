import { memoryStore } from '../src/stores/memory.js';
import { describeTokenStore } from './support/store-suite.js';

describeTokenStore('memoryStore', () => memoryStore());
