import { parentPort } from 'node:worker_threads'
import { isUsageBodyProblem, prepareUsageJson } from '../../core/metering/index.js'

// The worker side of `WorkerUsagePreparer`: prepares each body it is sent and answers with the
// result under the request's number, handing the leaf-hash buffer over rather than copying it.

interface Job {
  readonly n: number
  readonly text: string
}

const port = parentPort
if (port === null) throw new Error('usage-prepare-worker runs as a worker thread')
port.on('message', ({ n, text }: Job) => {
  const outcome = prepareUsageJson(text)
  if (isUsageBodyProblem(outcome)) port.postMessage({ n, outcome })
  else port.postMessage({ n, outcome }, [outcome.leaves.buffer as ArrayBuffer])
})
