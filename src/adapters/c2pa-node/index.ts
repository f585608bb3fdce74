export { C2paNodeEngine } from './c2pa-node-engine.js'
