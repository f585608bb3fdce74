export { fixedClock, NodeIdSource, systemClock } from './node-runtime.js'
export { WorkerUsagePreparer } from './worker-usage-preparer.js'
