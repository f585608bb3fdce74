/** Builds a multipart/form-data body for `inject()`; returns the payload and its headers. */
export function multipartBody(
  parts: readonly (
    | { name: string; filename: string; contentType?: string; data: Uint8Array }
    | { name: string; value: string }
  )[],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----selvedge-test-boundary-7e3f9a'
  const chunks: Buffer[] = []
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`))
    if ('data' in p) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      )
      chunks.push(Buffer.from(p.data))
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`))
    }
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}
