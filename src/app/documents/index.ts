export type {
  PdfBlock,
  PdfColumn,
  PdfDocumentSpec,
  PdfImage,
  PdfMetadata,
  PdfPageSize,
  PdfTextStyle,
} from './pdf-document.js'
export { PDF_CREATOR, PDF_PAGE_SIZES, renderPdf, toWinAnsi } from './pdf-document.js'
