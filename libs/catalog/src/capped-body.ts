/** The answer is longer than the client reads. */
export class ResponseTooLargeError extends Error {}

/**
 * Reads a response's body as UTF-8 text, up to `maxBytes`. Past that (or when
 * Content-Length already says so) it stops reading and cancels the body, which
 * closes the connection: however much the other side sends, we hold at most
 * `maxBytes` of it.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new ResponseTooLargeError(`the answer is over ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}
