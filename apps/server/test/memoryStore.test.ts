import { createMemoryStores } from '../src/store/memory/index.js';
import { describeStoreContract } from './support/storeContract.js';

describeStoreContract('memory', () => createMemoryStores());
