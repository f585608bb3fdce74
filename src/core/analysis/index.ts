export type { FileFacts } from './analyse-pixels.js'
export { analysePixels } from './analyse-pixels.js'
