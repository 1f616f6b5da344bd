/** The fetch function the verifier uses (injectable, e.g. to count or proxy requests). */
export type FetchFunction = typeof fetch;

/** Discovery documents and key sets are small; anything larger is refused unread. */
const maxBodyBytes = 1024 * 1024;

/**
 * GETs `url` and parses its JSON body, failing on a non-2xx status, a body over 1 MiB, a timeout
 * or invalid JSON. Errors are plain `Error`s naming the URL; callers wrap them.
 */
export async function fetchJson(fetchFn: FetchFunction, url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetchFn(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${url} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBodyBytes) {
    await response.body?.cancel();
    throw new Error(`GET ${url} body of ${declared} bytes exceeds ${maxBodyBytes}`);
  }
  const text = await response.text();
  if (Buffer.byteLength(text) > maxBodyBytes) {
    throw new Error(`GET ${url} body exceeds ${maxBodyBytes} bytes`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new Error(`GET ${url} did not return JSON`, { cause });
  }
}
