export { crc32 } from './crc32.js'
export { insertJpegXmp, JPEG_MAX_STANDARD_XMP_BYTES } from './jpeg-xmp.js'
export { insertPngXmp, pngChunk, readPngChunks } from './png-xmp.js'
export type { XmpLicenceReading } from './read-xmp-licence.js'
export { readXmpLicence } from './read-xmp-licence.js'
export type { XmpErrorCode } from './xmp-error.js'
export { XmpError } from './xmp-error.js'
export type { DataMiningValue, XmpLicence, XmpPackets } from './xmp-packet.js'
export {
  buildXmpPacket,
  buildXmpPackets,
  DATA_MINING,
  escapeXmlText,
  ODRL_RIGHTS_EXPR,
} from './xmp-packet.js'
