export { NodeIdSource, systemClock } from './node-runtime.js'
