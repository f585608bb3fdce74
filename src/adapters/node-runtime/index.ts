export { fixedClock, NodeIdSource, systemClock } from './node-runtime.js'
