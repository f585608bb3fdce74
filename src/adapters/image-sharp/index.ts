export { SharpImageCodec, sniffFormat } from './sharp-image-codec.js'
