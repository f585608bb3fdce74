export type { WatermarkEmbedding, WatermarkReport } from './watermark-service.js'
export {
  parsePayloadHex,
  studioWatermarkKey,
  WATERMARK_KEY_CONTEXT,
  WatermarkService,
} from './watermark-service.js'
